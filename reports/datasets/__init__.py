"""The data of every report, built once from scoped querysets (style.md: "rows first, then
formats"): one module per report, whose formats are the module of the same name in
reports.formats, and the pages show the same objects.

- minutes: the counting minutes of an election;
- summary: the term summary of a branch;
- dossier: the congress dossier of a term (the summary and the rest of the congress's record);
- statistics: membership and gender statistics over a subtree;
- representation: women's representation through a congress;
- roster: the members of the member list, with its scope and its filters.

A dataset imports no format."""
