"""Lab content, built from the views toolkit: one module per lab, plus what several labs share.

* :mod:`ccsim.labs.cases`: the shared cases (:class:`~ccsim.labs.cases.QueueCase`, the classroom case,
  the guaranteed targets), loaded from the scenario presets on first use, never at import.
* :mod:`ccsim.labs.queue`: one queue, formula and simulation side by side (labs 00 and 01).
* :mod:`ccsim.labs.lab00_start_here`, :mod:`ccsim.labs.lab01_queues`: each lab's panels and questions.
* :mod:`ccsim.labs.kit_map`: the map of all the labs.
"""
