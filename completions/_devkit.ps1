
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'devkit' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'devkit'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'devkit' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('b64', 'b64', [CompletionResultType]::ParameterValue, 'Base64 encode or decode, byte-identical to GNU base64')
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'Git helpers')
            [CompletionResult]::new('pyenv', 'pyenv', [CompletionResultType]::ParameterValue, 'Python virtual environments for a project')
            [CompletionResult]::new('blog', 'blog', [CompletionResultType]::ParameterValue, 'Validate and publish a Markdown blog to Cloudflare Workers KV or a Durable Object')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Inspect devkit''s layered configuration')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write the man pages and completion scripts into a directory (for packagers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'devkit;b64' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Wrap encoded lines after COLS characters; 0 disables wrapping [config: b64.wrap, default 76]')
            [CompletionResult]::new('--wrap', '--wrap', [CompletionResultType]::ParameterName, 'Wrap encoded lines after COLS characters; 0 disables wrapping [config: b64.wrap, default 76]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Decode data')
            [CompletionResult]::new('--decode', '--decode', [CompletionResultType]::ParameterName, 'Decode data')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'When decoding, ignore bytes outside the alphabet')
            [CompletionResult]::new('--ignore-garbage', '--ignore-garbage', [CompletionResultType]::ParameterName, 'When decoding, ignore bytes outside the alphabet')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Use the URL- and file-safe alphabet (RFC 4648 §5), like `basenc --base64url`')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;git' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('untag', 'untag', [CompletionResultType]::ParameterValue, 'Delete tags locally and on a remote, in one push')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'devkit;git;untag' {
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'The remote to delete from: a name or a URL [config: git.remote, default origin]')
            [CompletionResult]::new('--transport', '--transport', [CompletionResultType]::ParameterName, 'How to reach the remote: libgit2, the git executable, or libgit2 falling back to git [config: git.transport, default auto]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--local-only', '--local-only', [CompletionResultType]::ParameterName, 'Only delete the local tags')
            [CompletionResult]::new('--remote-only', '--remote-only', [CompletionResultType]::ParameterName, 'Only delete the tags on the remote')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--ignore-missing', '--ignore-missing', [CompletionResultType]::ParameterName, 'A named tag that exists nowhere is not an error')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON report per tag on stdout')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before deleting several tags matched by a glob (required when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before deleting several tags matched by a glob (required when stdin is not a terminal)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;git;help' {
            [CompletionResult]::new('untag', 'untag', [CompletionResultType]::ParameterValue, 'Delete tags locally and on a remote, in one push')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'devkit;git;help;untag' {
            break
        }
        'devkit;git;help;help' {
            break
        }
        'devkit;pyenv' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create or update the project''s virtual environment and install its packages')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Print the line that activates the venv in your shell (use with eval)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a command inside the venv; its exit code passes through')
            [CompletionResult]::new('freeze', 'freeze', [CompletionResultType]::ParameterValue, 'Print (or write) the venv''s pinned package list')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'devkit;pyenv;init' {
            [CompletionResult]::new('--python', '--python', [CompletionResultType]::ParameterName, 'The interpreter: a version (3.12) or a path [config: pyenv.python]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The venv directory [config: pyenv.dir, default .venv]')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'A requirements file to install (repeatable) [config: pyenv.requirements]')
            [CompletionResult]::new('--requirement', '--requirement', [CompletionResultType]::ParameterName, 'A requirements file to install (repeatable) [config: pyenv.requirements]')
            [CompletionResult]::new('--with', '--with', [CompletionResultType]::ParameterName, 'A package to install as well (repeatable) [config: pyenv.packages]')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'How to create the venv and install [config: pyenv.backend, default auto]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--upgrade', '--upgrade', [CompletionResultType]::ParameterName, 'Upgrade the packages to their newest allowed versions')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'Remove an existing venv first (also allows switching Python versions)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;pyenv;activate' {
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'The shell to print for (detected from the environment when not given)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The venv directory [config: pyenv.dir, default .venv]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;pyenv;run' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The venv directory [config: pyenv.dir, default .venv]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;pyenv;freeze' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The venv directory [config: pyenv.dir, default .venv]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the list to FILE (atomically) instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the list to FILE (atomically) instead of stdout')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;pyenv;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create or update the project''s virtual environment and install its packages')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Print the line that activates the venv in your shell (use with eval)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a command inside the venv; its exit code passes through')
            [CompletionResult]::new('freeze', 'freeze', [CompletionResultType]::ParameterValue, 'Print (or write) the venv''s pinned package list')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'devkit;pyenv;help;init' {
            break
        }
        'devkit;pyenv;help;activate' {
            break
        }
        'devkit;pyenv;help;run' {
            break
        }
        'devkit;pyenv;help;freeze' {
            break
        }
        'devkit;pyenv;help;help' {
            break
        }
        'devkit;blog' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate every post and print all problems at once')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Start a new post (status: draft)')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Publish the posts to Workers KV (through wrangler) or a Durable Object')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Write the remote posts that have no local file into the posts directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'devkit;blog;check' {
            [CompletionResult]::new('--content', '--content', [CompletionResultType]::ParameterName, 'The posts directory [config: blog.content, default posts]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the problems as JSON on stdout')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;blog;new' {
            [CompletionResult]::new('--slug', '--slug', [CompletionResultType]::ParameterName, 'The post''s slug (default: made from the title)')
            [CompletionResult]::new('--content', '--content', [CompletionResultType]::ParameterName, 'The posts directory [config: blog.content, default posts]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;blog;push' {
            [CompletionResult]::new('--content', '--content', [CompletionResultType]::ParameterName, 'The posts directory [config: blog.content, default posts]')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where to publish [config: blog.target, default kv]')
            [CompletionResult]::new('--settle', '--settle', [CompletionResultType]::ParameterName, 'How long KV takes to settle between the phases [config: blog.settle, default 60s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Publish to wrangler''s local state (the default) [config: blog.remote]')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Publish to Cloudflare')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Remove posts that devkit published and that no longer exist locally')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite keys devkit did not write; allow pruning every post')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Publish new posts as unlisted first, then flip them after the settle time')
            [CompletionResult]::new('--no-stage', '--no-stage', [CompletionResultType]::ParameterName, 'Publish in one step (the default for --local)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow http:// to a host that is not loopback (the token travels in clear)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the plan and the outcome per post as JSON on stdout')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;blog;pull' {
            [CompletionResult]::new('--content', '--content', [CompletionResultType]::ParameterName, 'The posts directory [config: blog.content, default posts]')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Where to read from [config: blog.target, default kv]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Read wrangler''s local state (the default) [config: blog.remote]')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Read from Cloudflare')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print what would be written and write nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be written and write nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace local files that hold a pulled post''s slug or path (each one is named)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow http:// to a host that is not loopback (the token travels in clear)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what was written and skipped as JSON on stdout')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;blog;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate every post and print all problems at once')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Start a new post (status: draft)')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Publish the posts to Workers KV (through wrangler) or a Durable Object')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Write the remote posts that have no local file into the posts directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'devkit;blog;help;check' {
            break
        }
        'devkit;blog;help;new' {
            break
        }
        'devkit;blog;help;push' {
            break
        }
        'devkit;blog;help;pull' {
            break
        }
        'devkit;blog;help;help' {
            break
        }
        'devkit;config' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the merged configuration and where each value came from')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one value (exit 1 when it is not set)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'List the config files devkit considers, and whether each exists')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'devkit;config;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON on stdout')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;config;get' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;config;path' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the merged configuration and where each value came from')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one value (exit 1 when it is not set)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'List the config files devkit considers, and whether each exists')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'devkit;config;help;show' {
            break
        }
        'devkit;config;help;get' {
            break
        }
        'devkit;config;help;path' {
            break
        }
        'devkit;config;help;help' {
            break
        }
        'devkit;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;generate' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The directory to write `completions/` and `man/` into')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this config file instead of the project''s devkit.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors on stderr')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Ignore every config file (the user''s and the project''s); env vars and flags still apply')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (repeat for even more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'devkit;help' {
            [CompletionResult]::new('b64', 'b64', [CompletionResultType]::ParameterValue, 'Base64 encode or decode, byte-identical to GNU base64')
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'Git helpers')
            [CompletionResult]::new('pyenv', 'pyenv', [CompletionResultType]::ParameterValue, 'Python virtual environments for a project')
            [CompletionResult]::new('blog', 'blog', [CompletionResultType]::ParameterValue, 'Validate and publish a Markdown blog to Cloudflare Workers KV or a Durable Object')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Inspect devkit''s layered configuration')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write the man pages and completion scripts into a directory (for packagers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'devkit;help;b64' {
            break
        }
        'devkit;help;git' {
            [CompletionResult]::new('untag', 'untag', [CompletionResultType]::ParameterValue, 'Delete tags locally and on a remote, in one push')
            break
        }
        'devkit;help;git;untag' {
            break
        }
        'devkit;help;pyenv' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create or update the project''s virtual environment and install its packages')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Print the line that activates the venv in your shell (use with eval)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a command inside the venv; its exit code passes through')
            [CompletionResult]::new('freeze', 'freeze', [CompletionResultType]::ParameterValue, 'Print (or write) the venv''s pinned package list')
            break
        }
        'devkit;help;pyenv;init' {
            break
        }
        'devkit;help;pyenv;activate' {
            break
        }
        'devkit;help;pyenv;run' {
            break
        }
        'devkit;help;pyenv;freeze' {
            break
        }
        'devkit;help;blog' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate every post and print all problems at once')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Start a new post (status: draft)')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Publish the posts to Workers KV (through wrangler) or a Durable Object')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Write the remote posts that have no local file into the posts directory')
            break
        }
        'devkit;help;blog;check' {
            break
        }
        'devkit;help;blog;new' {
            break
        }
        'devkit;help;blog;push' {
            break
        }
        'devkit;help;blog;pull' {
            break
        }
        'devkit;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the merged configuration and where each value came from')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one value (exit 1 when it is not set)')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'List the config files devkit considers, and whether each exists')
            break
        }
        'devkit;help;config;show' {
            break
        }
        'devkit;help;config;get' {
            break
        }
        'devkit;help;config;path' {
            break
        }
        'devkit;help;completions' {
            break
        }
        'devkit;help;generate' {
            break
        }
        'devkit;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
