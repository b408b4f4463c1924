complete --keep-order --exclusive --command devkit --arguments "(DEVKIT_COMPLETE=fish devkit -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
