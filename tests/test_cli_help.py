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
