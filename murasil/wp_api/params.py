"""Query arguments read and checked as WordPress's REST API checks them (rest_validate_value_from_schema).

Each collection declares its arguments as a dict {name: Arg}; `parse()` returns the clean values
or raises one rest_invalid_param error naming every bad argument, with WordPress's messages.
Arguments WordPress does not know are ignored, as WordPress ignores them.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils import timezone

from .http import WPError, invalid_params


@dataclass(frozen=True)
class Arg:
    kind: str  # "int", "int_list", "str", "str_list", "bool", "enum", "enum_list", "date"
    default: object = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = field(default_factory=tuple)


def _enum_words(choices: tuple[str, ...]) -> str:
    # WordPress lists enums as "a, b, and c" (wp_sprintf's %l).
    if len(choices) == 1:
        return choices[0]
    if len(choices) == 2:
        return f"{choices[0]} and {choices[1]}"
    return ", ".join(choices[:-1]) + ", and " + choices[-1]


def _int(name: str, text: str) -> int:
    if not re.fullmatch(r"\s*-?\d+\s*", text):
        raise ValueError(("rest_invalid_type", f"{name} is not of type integer."))
    return int(text)


def _bounds(name: str, value: int, arg: Arg) -> int:
    low, high = arg.minimum, arg.maximum
    if low is not None and high is not None and not low <= value <= high:
        raise ValueError(("rest_out_of_bounds", f"{name} must be between {low} (inclusive) and {high} (inclusive)"))
    if low is not None and value < low:
        raise ValueError(("rest_out_of_bounds", f"{name} must be greater than or equal to {low}"))
    return value


def _values(query: QueryDict, name: str) -> list[str]:
    """A list argument as WordPress reads it: "1,2", or repeated name[]=1&name[]=2."""
    raw = query.getlist(name + "[]") or query.getlist(name)
    return [part.strip() for item in raw for part in item.split(",") if part.strip()]


def parse_date(name: str, text: str) -> datetime.datetime:
    """An RFC 3339 date as rest_parse_date reads it; without a zone, the site's time zone."""
    text = text.strip()
    match = re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?", text)
    try:
        if not match:
            raise ValueError
        value = datetime.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00").replace("t", "T"))
    except ValueError:
        raise ValueError(("rest_invalid_date", "Invalid date.")) from None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _one(name: str, arg: Arg, query: QueryDict):
    if arg.kind in ("int_list", "str_list", "enum_list"):
        items = _values(query, name)
        if arg.kind == "int_list":
            return [_bounds(f"{name}[{i}]", _int(f"{name}[{i}]", item), arg) for i, item in enumerate(items)]
        if arg.kind == "enum_list":
            for i, item in enumerate(items):
                if item not in arg.choices:
                    raise ValueError(("rest_not_in_enum", f"{name}[{i}] is not one of {_enum_words(arg.choices)}."))
        return items
    text = query.get(name, "")
    if arg.kind == "int":
        return _bounds(name, _int(name, text), arg)
    if arg.kind == "bool":
        lowered = text.strip().lower()
        if lowered in ("1", "true"):
            return True
        if lowered in ("0", "false", ""):
            return False
        raise ValueError(("rest_invalid_type", f"{name} is not of type boolean."))
    if arg.kind == "enum":
        if text not in arg.choices:
            raise ValueError(("rest_not_in_enum", f"{name} is not one of {_enum_words(arg.choices)}."))
        return text
    if arg.kind == "date":
        return parse_date(name, text)
    return text


def parse(query: QueryDict, spec: dict[str, Arg]) -> dict:
    values, problems = {}, {}
    for name, arg in spec.items():
        present = name in query or f"{name}[]" in query
        if not present:
            values[name] = arg.default
            continue
        try:
            values[name] = _one(name, arg, query)
        except ValueError as error:
            problems[name] = error.args[0]
    if problems:
        raise invalid_params(problems)
    return values


CONTEXT = Arg("enum", "view", choices=("view", "embed", "edit"))


def check_context(values: dict, message: str) -> None:
    """context=edit needs a signed-in editor in WordPress; this API has no sign-in, so it is refused."""
    if values.get("context") == "edit":
        raise WPError("rest_forbidden_context", message, 401)


def paging(per_page_default: int = 10) -> dict[str, Arg]:
    return {
        "context": CONTEXT,
        "page": Arg("int", 1, minimum=1),
        "per_page": Arg("int", per_page_default, minimum=1, maximum=100),
        "search": Arg("str", ""),
        "exclude": Arg("int_list", []),
        "include": Arg("int_list", []),
        "offset": Arg("int", None),
    }
