"""The member table's indexes, for the member list's plans (members.filters.members_for_list,
measured by `make bench`, bench/filters.py): a list that finds many members walks the index of
its sort in order and stops after the page; one that finds few reads them through the branch
filter index and sorts them."""

from django.db import models

MEMBER_INDEXES = [
    # The sorts: each column the list sorts by, then the name order and the id. The name
    # order carries what a search and a subtree check, so that PostgreSQL walks it without
    # reading the table: a subtree's deep page (`?page=N`, an OFFSET; a federation at 10 M,
    # page 200: 1 s -> 14 ms), a search that walks the names ("nguyen van": 160 -> 22 ms), a
    # year of birth or a card number. The branch is a key column (members migration 0020):
    # the same to PostgreSQL, and SQLite, which has no INCLUDE, walks it without the table
    # too (1 M members, a federation's `?page=200`: 35 -> 4 ms).
    models.Index(
        fields=["sort_key", "id", "branch"],
        name="member_sort_idx",
        include=["search_key", "birth_date", "card_number"],
    ),
    # Lists of women (or men) in name order: given names are gendered, so walking
    # member_sort_idx alone skips long runs of the other gender (bench, 10 M). The lists of
    # one gender, one status or both walk their own index in name order and carry what the
    # list also checks (the branch, the other filters), so that a subtree's page reads no
    # table row (a federation's members of unknown gender aged 40-49: 109 -> 30 ms; its
    # former men, last page: 230 ms on member_status_sort_idx, which passes long runs of
    # women, 30 ms on the index of both).
    models.Index(
        fields=["gender", "sort_key", "id"],
        name="member_gender_sort_idx",
        include=["branch", "status", "birth_date"],
    ),
    models.Index(
        fields=["status", "sort_key", "id"],
        name="member_status_sort_idx",
        include=["branch", "birth_date"],
    ),
    # ... and on PostgreSQL member_gender_status_sort_idx (gender, status, name order),
    # created by members migration 0019 there only: SQLite would choose it without INCLUDE.
    # also the search by year of birth and the age bands (a range of birth dates)
    models.Index(fields=["birth_date", "sort_key", "id"], name="member_birth_sort_idx"),
    # the sort by branch: the branches in tree order, each one's members by name
    models.Index(fields=["branch", "sort_key", "id"], name="member_branch_sort_idx"),
    # A subtree's members with what the tallies cannot count (former members, an age
    # band), gender and status: found and counted from the index alone, branch by branch,
    # and on PostgreSQL also sorted by name from it (the name key and id carried), so that a
    # federation's former members of one gender are a page in 30 ms, not 80 to 200.
    models.Index(
        fields=["branch", "status", "gender", "birth_date"],
        name="member_branch_filter_idx",
        include=["sort_key", "id"],
    ),
    # the same over the whole register (a superuser, a reviewer of the root)
    models.Index(fields=["status", "gender", "birth_date"], name="member_filter_idx"),
]

# The branches by depth and path: the children and grandchildren of a node (depth equal, path
# in its range). With the dates, so that the sub-units existing on a day are counted from it
# alone, and on PostgreSQL with what a statistics row names, so that a federation's hundreds
# of children are read from it alone (members.statistics; 10 M, 515 children: 1.3 -> 0.3 ms).
BRANCH_DEPTH_PATH_INDEX = models.Index(
    fields=["depth", "path", "founded_on", "dissolved_on"],
    name="branch_depth_path_idx",
    include=["id", "code", "name", "short_name", "kind", "numchild"],
)
