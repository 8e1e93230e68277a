"""A congress's resolution: its directions, campaigns and numeric targets (`models`), the
rules of progress and verdicts (`domain`), the writes (`services`; `progress` for figures,
splits and reviews), the one read model of where each target stands (`goals`), and the API,
forms and pages built on them (the goals page included)."""
