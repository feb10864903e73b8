"""The web UI's views, split by area: pages (read), plan, progress, office, users.

Each view is the same few steps: fetch through ``xuncha.access`` (out of scope → 404), check the
role for the action (→ 403), validate a form, call a ``xuncha.workflow.services`` function (which
checks again), then redirect with a message — or show the page again with what went wrong.
"""
