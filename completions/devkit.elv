
set edit:completion:arg-completer[devkit] = { |@words|
    var index = (count $words)
    set index = (- $index 1)

    put (env _CLAP_IFS="\n" _CLAP_COMPLETE_INDEX=(to-string $index) DEVKIT_COMPLETE="elvish" devkit -- $@words) | to-lines
}

