"""``python -m endpoint serve|publish``: the endpoint's commands without the project CLI."""

from endpoint.commands import cli

if __name__ == "__main__":
    cli(prog_name="python -m endpoint")
