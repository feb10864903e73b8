"""Background jobs people can watch: what was started, by whom, how far it got, what came of it.

The work itself runs as a django-tasks task (``xuncha.tasks`` names every one); the ``Job`` row
is what the pages and the API show while it runs and after.
"""
