"""Warm kernels: a plug-in that forks each notebook's kernel from a template process.

Two documented extension points, nothing else:

- ``jupyter_client.kernel_provisioners`` (jupyter_client's kernel provisioner API):
  :class:`~.provisioner.WarmProvisioner`, named ``vn-briefings-warm``, launches a kernel
  by asking the template to fork one, and falls back to the ordinary launch;
- ``vn_briefings.kernel_pools`` (the engine's, see :mod:`helpers.publish.runner`):
  :func:`kernel_pool` starts the template for one build and yields the kernel spec's
  ``kernel_provisioner`` stanza that selects the provisioner and tells it where the
  template is.

Delete this package and its two entry points in pyproject.toml: the engine finds no
pool, every kernel starts cold, and the build gives the same bytes (a test builds
both ways). ``BRIEFINGS_WARM_KERNELS=0`` turns it off without deleting it; so does a
platform without pidfds.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

PROVISIONER_NAME = "vn-briefings-warm"
# Per-process caches every kernel would fill the same way, filled once in the template:
# the notebooks' first step is reading the validated tables (functions of files that
# cannot change during the build; each kernel checks them on use).
WARM_CALLS = ("helpers.tables:preload_tables",)


def enabled() -> bool:
    """On unless BRIEFINGS_WARM_KERNELS=0 (or no, false, off), where Linux pidfds exist."""
    if os.environ.get("BRIEFINGS_WARM_KERNELS", "1").strip().lower() in ("0", "no", "false", "off"):
        return False
    from helpers.publish.warm_kernels.template import supported

    return supported()


@contextlib.contextmanager
def kernel_pool(notebooks: Sequence[Path], cwd: Path) -> Iterator[dict[str, Any] | None]:
    """The template of one build, running while the context is open; yields the
    ``kernel_provisioner`` stanza for the kernel spec (None when warm kernels are off)."""
    if not enabled():
        yield None
        return
    from helpers.publish.warm_kernels.template import Template

    with Template(notebooks, cwd=cwd, warm_calls=WARM_CALLS) as template:
        yield {
            "provisioner_name": PROVISIONER_NAME,
            "config": {"template_address": template.address, "template_pid": template.proc.pid},
        }
