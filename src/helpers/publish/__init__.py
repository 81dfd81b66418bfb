"""Publishing engine: validated params -> papermill runs -> HTML briefings in outputs/.

One module per job (nothing heavy is imported here, or by :mod:`.plan`, :mod:`.outputs`
and :mod:`.index`: the no-op rebuild must stay fast; papermill and nbconvert load
only when a notebook actually runs):

- :mod:`.plan`     what to run: input hashing, skip-if-unchanged
- :mod:`.execute`  papermill run of one notebook, failure summary, deterministic .ipynb
- :mod:`.warm_kernels` a plug-in (kernel provisioner): kernels forked from a template process
  that has the imports done; deletable
- :mod:`.export`   nbconvert to self-contained HTML with the project template
- :mod:`.outputs`  outputs/<date>/ staging + atomic swap, per-date locks, manifest.json
- :mod:`.index`    outputs/index.html
- :mod:`.runner`   orchestration of a build (parallel dates, progress lines)
- :mod:`.commands` the ``run``, ``list`` and ``build`` subcommands
"""
