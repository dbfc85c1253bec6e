"""`hyosan serve [--host H] [--port P] [--saves-root DIR] [--story DIR]`: the game in a
web browser, through textual-serve (the `web` extra).

textual-serve starts one process per browser connection, running a shell command it is
given. That command is this module run as a program (`python -m game.commands.serve
--session ROOT`): it makes a fresh folder under ROOT and plays with that folder as its
saves folder, its config file and its profile, so two browser tabs never share an
autosave, a theme or anything else. It is not a multi-user server: there are no
accounts, and a reload of the page is a new session in a new folder.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    from ..paths import default_saves_dir

    parser.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)"
    )
    parser.add_argument("--port", type=int, default=8000, help="the port to listen on (default 8000)")
    parser.add_argument(
        "--saves-root",
        metavar="DIR",
        help="each browser session saves in a new folder under DIR "
        f"(default here: {default_saves_dir() / 'web'})",
    )
    parser.add_argument("--story", metavar="DIR", help="serve another story folder")
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use to reach this server, if not http://HOST:PORT (a proxy, 0.0.0.0)",
    )


def run(args: argparse.Namespace) -> int:
    from ..paths import default_saves_dir
    from .play import load_story_or_report

    try:
        from textual_serve.server import Server
    except ImportError:
        print(
            "hyosan serve: textual-serve is not installed; install the web extra: "
            "pip install 'hyosan[web]' (with pipx: pipx inject hyosan textual-serve)",
            file=sys.stderr,
        )
        return 2
    if not 0 < args.port < 65536:
        print(f"hyosan serve: --port {args.port}: use a port from 1 to 65535", file=sys.stderr)
        return 2
    # fail here, once, rather than in every browser session
    if load_story_or_report(args.story) is None:
        return 1
    root = Path(args.saves_root) if args.saves_root else default_saves_dir() / "web"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"hyosan serve: cannot make {root}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    story = os.path.abspath(args.story) if args.story else None
    server = Server(
        session_command(root.resolve(), story),
        host=args.host,
        port=args.port,
        title="Hyosan",
        public_url=args.public_url,
    )
    print(f"hyosan serve: each browser session saves under {root}", file=sys.stderr)
    try:
        server.serve()
    except OSError as exc:
        why = exc.strerror or exc
        print(f"hyosan serve: cannot listen on {args.host}:{args.port}: {why}", file=sys.stderr)
        return 1
    return 0


def session_command(root: Path, story: str | None) -> str:
    """The shell command textual-serve runs for each browser connection."""
    argv = [sys.executable, "-m", "game.commands.serve", "--session", str(root)]
    if story:
        argv += ["--story", story]
    if os.name == "nt":  # pragma: no cover
        import subprocess

        return subprocess.list2cmdline(argv)
    import shlex

    return shlex.join(argv)


def new_session_folder(root: Path) -> Path:
    """A fresh folder for one browser session: `ROOT/YYYYMMDD-HHMMSS-xxxxxxxx` (UTC)."""
    import secrets
    import time

    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    while True:
        folder = root / f"{stamp}-{secrets.token_hex(4)}"
        try:
            folder.mkdir(parents=True)
        except FileExistsError:
            continue
        return folder


def run_session(argv: list[str]) -> int:
    """One browser session (run by textual-serve, not by people): play the game with a
    new folder of its own for saves, config and profile. An unused folder is removed."""
    from ..cli import main
    from ..paths import CONFIG_ENV, PROFILE_ENV, SAVES_ENV

    parser = argparse.ArgumentParser(prog="hyosan serve --session")
    parser.add_argument("--session", metavar="ROOT", required=True)
    parser.add_argument("--story", metavar="DIR")
    args = parser.parse_args(argv)
    folder = new_session_folder(Path(args.session))
    os.environ[SAVES_ENV] = str(folder)
    os.environ[CONFIG_ENV] = str(folder / "config.toml")
    os.environ[PROFILE_ENV] = str(folder)
    play = ["play", "--saves", str(folder)]
    if args.story:
        play += ["--story", args.story]
    try:
        return main(play)
    finally:
        try:
            folder.rmdir()  # only if nothing was saved
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(run_session(sys.argv[1:]))
