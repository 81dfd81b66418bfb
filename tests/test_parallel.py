"""helpers.parallel.call_in_forked_child: a result or an exception comes back from the
child intact; a child that dies is one clear error; the parent's state is untouched."""

from __future__ import annotations

import os
import signal

import pytest

from helpers.errors import InputError
from helpers.parallel import call_in_forked_child

_STATE = {"touched": False}


def _answer(x, y=1):
    _STATE["touched"] = True  # in the child's memory only
    return {"sum": x + y, "pid": os.getpid()}


def _refuse():
    raise InputError("data/raw/x.txt", 12, "a report date", "1900")


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("no")


def _unpicklable():
    raise _Unpicklable("odd")


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


def test_the_result_comes_back_from_another_process():
    got = call_in_forked_child(_answer, 2, y=3)
    assert got["sum"] == 5 and got["pid"] != os.getpid()
    assert _STATE["touched"] is False  # what the child changed stayed in the child


def test_an_input_error_comes_back_whole():
    with pytest.raises(InputError) as caught:
        call_in_forked_child(_refuse)
    assert (caught.value.path, caught.value.line, caught.value.found) == ("data/raw/x.txt", 12, "1900")
    assert str(caught.value) == "data/raw/x.txt:12: expected a report date, found '1900'"


def test_an_exception_that_cannot_be_pickled_comes_back_as_its_text():
    with pytest.raises(RuntimeError, match="_Unpicklable: odd"):
        call_in_forked_child(_unpicklable)


def test_a_child_that_dies_is_one_clear_error():
    with pytest.raises(RuntimeError, match="ended without an answer .killed by SIGKILL."):
        call_in_forked_child(_die)
