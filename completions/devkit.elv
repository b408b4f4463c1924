
use builtin;
use str;

set edit:completion:arg-completer[devkit] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'devkit'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'devkit'= {
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand b64 'Base64 encode or decode, byte-identical to GNU base64'
            cand git 'Git helpers'
            cand pyenv 'Python virtual environments for a project'
            cand blog 'Validate and publish a Markdown blog to Cloudflare Workers KV or a Durable Object'
            cand config 'Inspect devkit''s layered configuration'
            cand completions 'Print a shell completion script'
            cand generate 'Write the man pages and completion scripts into a directory (for packagers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'devkit;b64'= {
            cand -w 'Wrap encoded lines after COLS characters; 0 disables wrapping [config: b64.wrap, default 76]'
            cand --wrap 'Wrap encoded lines after COLS characters; 0 disables wrapping [config: b64.wrap, default 76]'
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand -d 'Decode data'
            cand --decode 'Decode data'
            cand -i 'When decoding, ignore bytes outside the alphabet'
            cand --ignore-garbage 'When decoding, ignore bytes outside the alphabet'
            cand --url 'Use the URL- and file-safe alphabet (RFC 4648 §5), like `basenc --base64url`'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;git'= {
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand untag 'Delete tags locally and on a remote, in one push'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'devkit;git;untag'= {
            cand --remote 'The remote to delete from: a name or a URL [config: git.remote, default origin]'
            cand --transport 'How to reach the remote: libgit2, the git executable, or libgit2 falling back to git [config: git.transport, default auto]'
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --local-only 'Only delete the local tags'
            cand --remote-only 'Only delete the tags on the remote'
            cand -n 'Print the plan and change nothing'
            cand --dry-run 'Print the plan and change nothing'
            cand --ignore-missing 'A named tag that exists nowhere is not an error'
            cand --json 'Print a JSON report per tag on stdout'
            cand -y 'Do not ask before deleting several tags matched by a glob (required when stdin is not a terminal)'
            cand --yes 'Do not ask before deleting several tags matched by a glob (required when stdin is not a terminal)'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;git;help'= {
            cand untag 'Delete tags locally and on a remote, in one push'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'devkit;git;help;untag'= {
        }
        &'devkit;git;help;help'= {
        }
        &'devkit;pyenv'= {
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create or update the project''s virtual environment and install its packages'
            cand activate 'Print the line that activates the venv in your shell (use with eval)'
            cand run 'Run a command inside the venv; its exit code passes through'
            cand freeze 'Print (or write) the venv''s pinned package list'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'devkit;pyenv;init'= {
            cand --python 'The interpreter: a version (3.12) or a path [config: pyenv.python]'
            cand --dir 'The venv directory [config: pyenv.dir, default .venv]'
            cand -r 'A requirements file to install (repeatable) [config: pyenv.requirements]'
            cand --requirement 'A requirements file to install (repeatable) [config: pyenv.requirements]'
            cand --with 'A package to install as well (repeatable) [config: pyenv.packages]'
            cand --backend 'How to create the venv and install [config: pyenv.backend, default auto]'
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --upgrade 'Upgrade the packages to their newest allowed versions'
            cand --clear 'Remove an existing venv first (also allows switching Python versions)'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;pyenv;activate'= {
            cand --shell 'The shell to print for (detected from the environment when not given)'
            cand --dir 'The venv directory [config: pyenv.dir, default .venv]'
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;pyenv;run'= {
            cand --dir 'The venv directory [config: pyenv.dir, default .venv]'
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;pyenv;freeze'= {
            cand --dir 'The venv directory [config: pyenv.dir, default .venv]'
            cand -o 'Write the list to FILE (atomically) instead of stdout'
            cand --output 'Write the list to FILE (atomically) instead of stdout'
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;pyenv;help'= {
            cand init 'Create or update the project''s virtual environment and install its packages'
            cand activate 'Print the line that activates the venv in your shell (use with eval)'
            cand run 'Run a command inside the venv; its exit code passes through'
            cand freeze 'Print (or write) the venv''s pinned package list'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'devkit;pyenv;help;init'= {
        }
        &'devkit;pyenv;help;activate'= {
        }
        &'devkit;pyenv;help;run'= {
        }
        &'devkit;pyenv;help;freeze'= {
        }
        &'devkit;pyenv;help;help'= {
        }
        &'devkit;blog'= {
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check 'Validate every post and print all problems at once'
            cand new 'Start a new post (status: draft)'
            cand push 'Publish the posts to Workers KV (through wrangler) or a Durable Object'
            cand pull 'Write the remote posts that have no local file into the posts directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'devkit;blog;check'= {
            cand --content 'The posts directory [config: blog.content, default posts]'
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --json 'Print the problems as JSON on stdout'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;blog;new'= {
            cand --slug 'The post''s slug (default: made from the title)'
            cand --content 'The posts directory [config: blog.content, default posts]'
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;blog;push'= {
            cand --content 'The posts directory [config: blog.content, default posts]'
            cand --target 'Where to publish [config: blog.target, default kv]'
            cand --settle 'How long KV takes to settle between the phases [config: blog.settle, default 60s]'
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --local 'Publish to wrangler''s local state (the default) [config: blog.remote]'
            cand --remote 'Publish to Cloudflare'
            cand -n 'Print the plan and change nothing'
            cand --dry-run 'Print the plan and change nothing'
            cand --prune 'Remove posts that devkit published and that no longer exist locally'
            cand --force 'Overwrite keys devkit did not write; allow pruning every post'
            cand --stage 'Publish new posts as unlisted first, then flip them after the settle time'
            cand --no-stage 'Publish in one step (the default for --local)'
            cand --allow-insecure-http 'Allow http:// to a host that is not loopback (the token travels in clear)'
            cand --json 'Print the plan and the outcome per post as JSON on stdout'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;blog;pull'= {
            cand --content 'The posts directory [config: blog.content, default posts]'
            cand --target 'Where to read from [config: blog.target, default kv]'
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --local 'Read wrangler''s local state (the default) [config: blog.remote]'
            cand --remote 'Read from Cloudflare'
            cand -n 'Print what would be written and write nothing'
            cand --dry-run 'Print what would be written and write nothing'
            cand --force 'Replace local files that hold a pulled post''s slug or path (each one is named)'
            cand --allow-insecure-http 'Allow http:// to a host that is not loopback (the token travels in clear)'
            cand --json 'Print what was written and skipped as JSON on stdout'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;blog;help'= {
            cand check 'Validate every post and print all problems at once'
            cand new 'Start a new post (status: draft)'
            cand push 'Publish the posts to Workers KV (through wrangler) or a Durable Object'
            cand pull 'Write the remote posts that have no local file into the posts directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'devkit;blog;help;check'= {
        }
        &'devkit;blog;help;new'= {
        }
        &'devkit;blog;help;push'= {
        }
        &'devkit;blog;help;pull'= {
        }
        &'devkit;blog;help;help'= {
        }
        &'devkit;config'= {
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Print the merged configuration and where each value came from'
            cand get 'Print one value (exit 1 when it is not set)'
            cand path 'List the config files devkit considers, and whether each exists'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'devkit;config;show'= {
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --json 'Print JSON on stdout'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;config;get'= {
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;config;path'= {
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;config;help'= {
            cand show 'Print the merged configuration and where each value came from'
            cand get 'Print one value (exit 1 when it is not set)'
            cand path 'List the config files devkit considers, and whether each exists'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'devkit;config;help;show'= {
        }
        &'devkit;config;help;get'= {
        }
        &'devkit;config;help;path'= {
        }
        &'devkit;config;help;help'= {
        }
        &'devkit;completions'= {
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;generate'= {
            cand --out 'The directory to write `completions/` and `man/` into'
            cand --config 'Read this config file instead of the project''s devkit.yaml'
            cand --color 'When to use colors on stderr'
            cand --no-config 'Ignore every config file (the user''s and the project''s); env vars and flags still apply'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'devkit;help'= {
            cand b64 'Base64 encode or decode, byte-identical to GNU base64'
            cand git 'Git helpers'
            cand pyenv 'Python virtual environments for a project'
            cand blog 'Validate and publish a Markdown blog to Cloudflare Workers KV or a Durable Object'
            cand config 'Inspect devkit''s layered configuration'
            cand completions 'Print a shell completion script'
            cand generate 'Write the man pages and completion scripts into a directory (for packagers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'devkit;help;b64'= {
        }
        &'devkit;help;git'= {
            cand untag 'Delete tags locally and on a remote, in one push'
        }
        &'devkit;help;git;untag'= {
        }
        &'devkit;help;pyenv'= {
            cand init 'Create or update the project''s virtual environment and install its packages'
            cand activate 'Print the line that activates the venv in your shell (use with eval)'
            cand run 'Run a command inside the venv; its exit code passes through'
            cand freeze 'Print (or write) the venv''s pinned package list'
        }
        &'devkit;help;pyenv;init'= {
        }
        &'devkit;help;pyenv;activate'= {
        }
        &'devkit;help;pyenv;run'= {
        }
        &'devkit;help;pyenv;freeze'= {
        }
        &'devkit;help;blog'= {
            cand check 'Validate every post and print all problems at once'
            cand new 'Start a new post (status: draft)'
            cand push 'Publish the posts to Workers KV (through wrangler) or a Durable Object'
            cand pull 'Write the remote posts that have no local file into the posts directory'
        }
        &'devkit;help;blog;check'= {
        }
        &'devkit;help;blog;new'= {
        }
        &'devkit;help;blog;push'= {
        }
        &'devkit;help;blog;pull'= {
        }
        &'devkit;help;config'= {
            cand show 'Print the merged configuration and where each value came from'
            cand get 'Print one value (exit 1 when it is not set)'
            cand path 'List the config files devkit considers, and whether each exists'
        }
        &'devkit;help;config;show'= {
        }
        &'devkit;help;config;get'= {
        }
        &'devkit;help;config;path'= {
        }
        &'devkit;help;completions'= {
        }
        &'devkit;help;generate'= {
        }
        &'devkit;help;help'= {
        }
    ]
    $completions[$command]
}
