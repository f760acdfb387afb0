"""YAML from files an operator supplies: plain data only, checked before anything is built.

Aliases are what let a few hundred bytes expand into an hour of work (a "billion laughs")
or point at their own parent (endless recursion); nothing in a bank, the glossary or a
front matter block needs them, so they are refused rather than bounded."""

import yaml

MAX_DEPTH = 20
# libyaml's parser (PyYAML's C binding) reads a bank file ~15x faster than the pure-Python
# one and reports the same marks; PyYAML builds it wherever libyaml is there.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def plain_yaml_problem(text: str) -> tuple[int, str] | None:
    """(line, message) for the first anchor, alias or over-deep nesting in `text`, else None.

    Reads parser events only, so the check is linear in the text; raises yaml.YAMLError
    for a syntax error like yaml.compose would."""
    depth = 0
    for event in yaml.parse(text, Loader=LOADER):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            return line, f"YAML alias *{event.anchor} is not allowed: write the value out in full"
        if getattr(event, "anchor", None):
            return line, f"YAML anchor &{event.anchor} is not allowed: write the value out in full"
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return line, f"nested more than {MAX_DEPTH} levels deep"
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None
