"""Every command's --help renders (a stray '%' in a help string made `spectrum --help` a traceback)."""
from __future__ import annotations

import argparse

import pytest

from spectrum import cli


def _commands():
    p = cli.build_parser()
    sub = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    out = []
    for name, sp in sub.choices.items():
        out.append((name,))
        for a in sp._actions:
            if isinstance(a, argparse._SubParsersAction):
                out += [(name, s) for s in a.choices]
    return out


def test_top_level_help(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    for name in cli.COMMANDS:
        assert name in out


@pytest.mark.parametrize("argv", _commands(), ids=lambda a: " ".join(a))
def test_command_help(argv, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main([*argv, "--help"])
    assert e.value.code == 0
    assert "usage: spectrum" in capsys.readouterr().out


def test_unexpected_exception_is_one_line_not_a_traceback(monkeypatch, capsys):
    from spectrum.commands import loss

    def boom(args):
        raise TypeError("unsupported operand type(s)\nsecond line")

    monkeypatch.setattr(loss, "run", boom)
    monkeypatch.delenv("SPECTRUM_DEBUG", raising=False)
    parser_argv = ["loss", "hata", "--f-mhz", "900", "--d-km", "1", "--hb-m", "30", "--hm-m", "1.5"]
    p = cli.build_parser()
    args = p.parse_args(parser_argv)
    monkeypatch.setattr(cli, "build_parser", lambda: _Fixed(p, args, boom))
    assert cli.main(parser_argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TypeError: unsupported operand" in err and "SPECTRUM_DEBUG" in err
    monkeypatch.setenv("SPECTRUM_DEBUG", "1")
    with pytest.raises(TypeError):
        cli.main(parser_argv)


class _Fixed:
    def __init__(self, parser, args, fn):
        self.parser, self.args = parser, args
        args.func = fn

    def parse_args(self, argv):
        return self.args

    def print_help(self):  # pragma: no cover
        self.parser.print_help()
