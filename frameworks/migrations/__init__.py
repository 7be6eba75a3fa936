# The reference files (frameworks/reference) that migrations load, in the order they load
# them: a later version's migration adds its file here too.
SHIPPED_FILES = [
    "corporate-parenting-principles-2017.json",
    "national-framework-2023-12.json",
    "ilacs-2023-01.json",
]
