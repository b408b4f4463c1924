# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_devkit_global_optspecs
    string join \n config= no-config q/quiet v/verbose color= h/help V/version
end

function __fish_devkit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_devkit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_devkit_using_subcommand
    set -l cmd (__fish_devkit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c devkit -n "__fish_devkit_needs_command" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_needs_command" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_needs_command" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_needs_command" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_needs_command" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c devkit -n "__fish_devkit_needs_command" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_needs_command" -f -a "b64" -d 'Base64 encode or decode, byte-identical to GNU base64'
complete -c devkit -n "__fish_devkit_needs_command" -f -a "git" -d 'Git helpers'
complete -c devkit -n "__fish_devkit_needs_command" -f -a "pyenv" -d 'Python virtual environments for a project'
complete -c devkit -n "__fish_devkit_needs_command" -f -a "blog" -d 'Validate and publish a Markdown blog to Cloudflare Workers KV or a Durable Object'
complete -c devkit -n "__fish_devkit_needs_command" -f -a "config" -d 'Inspect devkit\'s layered configuration'
complete -c devkit -n "__fish_devkit_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c devkit -n "__fish_devkit_needs_command" -f -a "generate" -d 'Write the man pages and completion scripts into a directory (for packagers)'
complete -c devkit -n "__fish_devkit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c devkit -n "__fish_devkit_using_subcommand b64" -s w -l wrap -d 'Wrap encoded lines after COLS characters; 0 disables wrapping [config: b64.wrap, default 76]' -r
complete -c devkit -n "__fish_devkit_using_subcommand b64" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand b64" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand b64" -s d -l decode -d 'Decode data'
complete -c devkit -n "__fish_devkit_using_subcommand b64" -s i -l ignore-garbage -d 'When decoding, ignore bytes outside the alphabet'
complete -c devkit -n "__fish_devkit_using_subcommand b64" -l url -d 'Use the URL- and file-safe alphabet (RFC 4648 §5), like `basenc --base64url`'
complete -c devkit -n "__fish_devkit_using_subcommand b64" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand b64" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand b64" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand b64" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand b64" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand git; and not __fish_seen_subcommand_from untag help" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand git; and not __fish_seen_subcommand_from untag help" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand git; and not __fish_seen_subcommand_from untag help" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand git; and not __fish_seen_subcommand_from untag help" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand git; and not __fish_seen_subcommand_from untag help" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand git; and not __fish_seen_subcommand_from untag help" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand git; and not __fish_seen_subcommand_from untag help" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand git; and not __fish_seen_subcommand_from untag help" -f -a "untag" -d 'Delete tags locally and on a remote, in one push'
complete -c devkit -n "__fish_devkit_using_subcommand git; and not __fish_seen_subcommand_from untag help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -l remote -d 'The remote to delete from: a name or a URL [config: git.remote, default origin]' -r
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -l transport -d 'How to reach the remote: libgit2, the git executable, or libgit2 falling back to git [config: git.transport, default auto]' -r -f -a "auto\t''
libgit2\t''
cli\t''"
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -l local-only -d 'Only delete the local tags'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -l remote-only -d 'Only delete the tags on the remote'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -s n -l dry-run -d 'Print the plan and change nothing'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -l ignore-missing -d 'A named tag that exists nowhere is not an error'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -l json -d 'Print a JSON report per tag on stdout'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -s y -l yes -d 'Do not ask before deleting several tags matched by a glob (required when stdin is not a terminal)'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from untag" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from help" -f -a "untag" -d 'Delete tags locally and on a remote, in one push'
complete -c devkit -n "__fish_devkit_using_subcommand git; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and not __fish_seen_subcommand_from init activate run freeze help" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and not __fish_seen_subcommand_from init activate run freeze help" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and not __fish_seen_subcommand_from init activate run freeze help" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and not __fish_seen_subcommand_from init activate run freeze help" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and not __fish_seen_subcommand_from init activate run freeze help" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and not __fish_seen_subcommand_from init activate run freeze help" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and not __fish_seen_subcommand_from init activate run freeze help" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and not __fish_seen_subcommand_from init activate run freeze help" -f -a "init" -d 'Create or update the project\'s virtual environment and install its packages'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and not __fish_seen_subcommand_from init activate run freeze help" -f -a "activate" -d 'Print the line that activates the venv in your shell (use with eval)'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and not __fish_seen_subcommand_from init activate run freeze help" -f -a "run" -d 'Run a command inside the venv; its exit code passes through'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and not __fish_seen_subcommand_from init activate run freeze help" -f -a "freeze" -d 'Print (or write) the venv\'s pinned package list'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and not __fish_seen_subcommand_from init activate run freeze help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -l python -d 'The interpreter: a version (3.12) or a path [config: pyenv.python]' -r
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -l dir -d 'The venv directory [config: pyenv.dir, default .venv]' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -s r -l requirement -d 'A requirements file to install (repeatable) [config: pyenv.requirements]' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -l with -d 'A package to install as well (repeatable) [config: pyenv.packages]' -r
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -l backend -d 'How to create the venv and install [config: pyenv.backend, default auto]' -r -f -a "auto\t''
uv\t''
venv\t''"
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -l upgrade -d 'Upgrade the packages to their newest allowed versions'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -l clear -d 'Remove an existing venv first (also allows switching Python versions)'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from activate" -l shell -d 'The shell to print for (detected from the environment when not given)' -r -f -a "bash\t''
zsh\t''
fish\t''
csh\t''
powershell\t''
nu\t''"
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from activate" -l dir -d 'The venv directory [config: pyenv.dir, default .venv]' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from activate" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from activate" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from activate" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from activate" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from activate" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from activate" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from activate" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from run" -l dir -d 'The venv directory [config: pyenv.dir, default .venv]' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from run" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from run" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from run" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from freeze" -l dir -d 'The venv directory [config: pyenv.dir, default .venv]' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from freeze" -s o -l output -d 'Write the list to FILE (atomically) instead of stdout' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from freeze" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from freeze" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from freeze" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from freeze" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from freeze" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from freeze" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from freeze" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from help" -f -a "init" -d 'Create or update the project\'s virtual environment and install its packages'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from help" -f -a "activate" -d 'Print the line that activates the venv in your shell (use with eval)'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a command inside the venv; its exit code passes through'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from help" -f -a "freeze" -d 'Print (or write) the venv\'s pinned package list'
complete -c devkit -n "__fish_devkit_using_subcommand pyenv; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and not __fish_seen_subcommand_from check new push pull help" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand blog; and not __fish_seen_subcommand_from check new push pull help" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand blog; and not __fish_seen_subcommand_from check new push pull help" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and not __fish_seen_subcommand_from check new push pull help" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and not __fish_seen_subcommand_from check new push pull help" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and not __fish_seen_subcommand_from check new push pull help" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and not __fish_seen_subcommand_from check new push pull help" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and not __fish_seen_subcommand_from check new push pull help" -f -a "check" -d 'Validate every post and print all problems at once'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and not __fish_seen_subcommand_from check new push pull help" -f -a "new" -d 'Start a new post (status: draft)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and not __fish_seen_subcommand_from check new push pull help" -f -a "push" -d 'Publish the posts to Workers KV (through wrangler) or a Durable Object'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and not __fish_seen_subcommand_from check new push pull help" -f -a "pull" -d 'Write the remote posts that have no local file into the posts directory'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and not __fish_seen_subcommand_from check new push pull help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from check" -l content -d 'The posts directory [config: blog.content, default posts]' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from check" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from check" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from check" -l json -d 'Print the problems as JSON on stdout'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from check" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from new" -l slug -d 'The post\'s slug (default: made from the title)' -r
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from new" -l content -d 'The posts directory [config: blog.content, default posts]' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from new" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from new" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from new" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from new" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from new" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from new" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from new" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l content -d 'The posts directory [config: blog.content, default posts]' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l target -d 'Where to publish [config: blog.target, default kv]' -r -f -a "kv\t''
do\t''"
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l settle -d 'How long KV takes to settle between the phases [config: blog.settle, default 60s]' -r
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l local -d 'Publish to wrangler\'s local state (the default) [config: blog.remote]'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l remote -d 'Publish to Cloudflare'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -s n -l dry-run -d 'Print the plan and change nothing'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l prune -d 'Remove posts that devkit published and that no longer exist locally'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l force -d 'Overwrite keys devkit did not write; allow pruning every post'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l stage -d 'Publish new posts as unlisted first, then flip them after the settle time'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l no-stage -d 'Publish in one step (the default for --local)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l allow-insecure-http -d 'Allow http:// to a host that is not loopback (the token travels in clear)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l json -d 'Print the plan and the outcome per post as JSON on stdout'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from push" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -l content -d 'The posts directory [config: blog.content, default posts]' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -l target -d 'Where to read from [config: blog.target, default kv]' -r -f -a "kv\t''
do\t''"
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -l local -d 'Read wrangler\'s local state (the default) [config: blog.remote]'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -l remote -d 'Read from Cloudflare'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -s n -l dry-run -d 'Print what would be written and write nothing'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -l force -d 'Replace local files that hold a pulled post\'s slug or path (each one is named)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -l allow-insecure-http -d 'Allow http:// to a host that is not loopback (the token travels in clear)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -l json -d 'Print what was written and skipped as JSON on stdout'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from pull" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate every post and print all problems at once'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from help" -f -a "new" -d 'Start a new post (status: draft)'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from help" -f -a "push" -d 'Publish the posts to Workers KV (through wrangler) or a Durable Object'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Write the remote posts that have no local file into the posts directory'
complete -c devkit -n "__fish_devkit_using_subcommand blog; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c devkit -n "__fish_devkit_using_subcommand config; and not __fish_seen_subcommand_from show get path help" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand config; and not __fish_seen_subcommand_from show get path help" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand config; and not __fish_seen_subcommand_from show get path help" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand config; and not __fish_seen_subcommand_from show get path help" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand config; and not __fish_seen_subcommand_from show get path help" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand config; and not __fish_seen_subcommand_from show get path help" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand config; and not __fish_seen_subcommand_from show get path help" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand config; and not __fish_seen_subcommand_from show get path help" -f -a "show" -d 'Print the merged configuration and where each value came from'
complete -c devkit -n "__fish_devkit_using_subcommand config; and not __fish_seen_subcommand_from show get path help" -f -a "get" -d 'Print one value (exit 1 when it is not set)'
complete -c devkit -n "__fish_devkit_using_subcommand config; and not __fish_seen_subcommand_from show get path help" -f -a "path" -d 'List the config files devkit considers, and whether each exists'
complete -c devkit -n "__fish_devkit_using_subcommand config; and not __fish_seen_subcommand_from show get path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from show" -l json -d 'Print JSON on stdout'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from show" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from get" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from get" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from get" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from path" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from path" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the merged configuration and where each value came from'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one value (exit 1 when it is not set)'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'List the config files devkit considers, and whether each exists'
complete -c devkit -n "__fish_devkit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c devkit -n "__fish_devkit_using_subcommand completions" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand completions" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand completions" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand completions" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand completions" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand completions" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand completions" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand generate" -l out -d 'The directory to write `completions/` and `man/` into' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand generate" -l config -d 'Read this config file instead of the project\'s devkit.yaml' -r -F
complete -c devkit -n "__fish_devkit_using_subcommand generate" -l color -d 'When to use colors on stderr' -r -f -a "auto\t''
always\t''
never\t''"
complete -c devkit -n "__fish_devkit_using_subcommand generate" -l no-config -d 'Ignore every config file (the user\'s and the project\'s); env vars and flags still apply'
complete -c devkit -n "__fish_devkit_using_subcommand generate" -s q -l quiet -d 'Print only errors'
complete -c devkit -n "__fish_devkit_using_subcommand generate" -s v -l verbose -d 'Say more (repeat for even more)'
complete -c devkit -n "__fish_devkit_using_subcommand generate" -s h -l help -d 'Print help'
complete -c devkit -n "__fish_devkit_using_subcommand generate" -s V -l version -d 'Print version'
complete -c devkit -n "__fish_devkit_using_subcommand help; and not __fish_seen_subcommand_from b64 git pyenv blog config completions generate help" -f -a "b64" -d 'Base64 encode or decode, byte-identical to GNU base64'
complete -c devkit -n "__fish_devkit_using_subcommand help; and not __fish_seen_subcommand_from b64 git pyenv blog config completions generate help" -f -a "git" -d 'Git helpers'
complete -c devkit -n "__fish_devkit_using_subcommand help; and not __fish_seen_subcommand_from b64 git pyenv blog config completions generate help" -f -a "pyenv" -d 'Python virtual environments for a project'
complete -c devkit -n "__fish_devkit_using_subcommand help; and not __fish_seen_subcommand_from b64 git pyenv blog config completions generate help" -f -a "blog" -d 'Validate and publish a Markdown blog to Cloudflare Workers KV or a Durable Object'
complete -c devkit -n "__fish_devkit_using_subcommand help; and not __fish_seen_subcommand_from b64 git pyenv blog config completions generate help" -f -a "config" -d 'Inspect devkit\'s layered configuration'
complete -c devkit -n "__fish_devkit_using_subcommand help; and not __fish_seen_subcommand_from b64 git pyenv blog config completions generate help" -f -a "completions" -d 'Print a shell completion script'
complete -c devkit -n "__fish_devkit_using_subcommand help; and not __fish_seen_subcommand_from b64 git pyenv blog config completions generate help" -f -a "generate" -d 'Write the man pages and completion scripts into a directory (for packagers)'
complete -c devkit -n "__fish_devkit_using_subcommand help; and not __fish_seen_subcommand_from b64 git pyenv blog config completions generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c devkit -n "__fish_devkit_using_subcommand help; and __fish_seen_subcommand_from git" -f -a "untag" -d 'Delete tags locally and on a remote, in one push'
complete -c devkit -n "__fish_devkit_using_subcommand help; and __fish_seen_subcommand_from pyenv" -f -a "init" -d 'Create or update the project\'s virtual environment and install its packages'
complete -c devkit -n "__fish_devkit_using_subcommand help; and __fish_seen_subcommand_from pyenv" -f -a "activate" -d 'Print the line that activates the venv in your shell (use with eval)'
complete -c devkit -n "__fish_devkit_using_subcommand help; and __fish_seen_subcommand_from pyenv" -f -a "run" -d 'Run a command inside the venv; its exit code passes through'
complete -c devkit -n "__fish_devkit_using_subcommand help; and __fish_seen_subcommand_from pyenv" -f -a "freeze" -d 'Print (or write) the venv\'s pinned package list'
complete -c devkit -n "__fish_devkit_using_subcommand help; and __fish_seen_subcommand_from blog" -f -a "check" -d 'Validate every post and print all problems at once'
complete -c devkit -n "__fish_devkit_using_subcommand help; and __fish_seen_subcommand_from blog" -f -a "new" -d 'Start a new post (status: draft)'
complete -c devkit -n "__fish_devkit_using_subcommand help; and __fish_seen_subcommand_from blog" -f -a "push" -d 'Publish the posts to Workers KV (through wrangler) or a Durable Object'
complete -c devkit -n "__fish_devkit_using_subcommand help; and __fish_seen_subcommand_from blog" -f -a "pull" -d 'Write the remote posts that have no local file into the posts directory'
complete -c devkit -n "__fish_devkit_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the merged configuration and where each value came from'
complete -c devkit -n "__fish_devkit_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print one value (exit 1 when it is not set)'
complete -c devkit -n "__fish_devkit_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'List the config files devkit considers, and whether each exists'
