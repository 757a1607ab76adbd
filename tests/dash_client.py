"""Drive a Dash app's callbacks in-process through its own HTTP endpoint.

Requests go to POST /_dash-update-component exactly as the browser sends them,
so these tests see what the page would see, including status codes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

Prop = tuple[Any, str, Any]  # (component id, property, value)

#: The map callback's last input: the statements search, empty.
NO_SEARCH: Prop = ("statement-search", "value", "")
#: The statements callback's inputs after the filters (no search, "show more" not pressed)
#: and its state after the selection (the list's length), as on a fresh page.
STATEMENTS_INPUTS: tuple[Prop, ...] = (NO_SEARCH, ("show-more", "n_clicks", 0))
STATEMENTS_STATE: tuple[Prop, ...] = (("statements-limit", "data", 50),)
#: Inputs a test may leave out (sent as None, as on a page where they hold no value): the control
#: source picker, the ledger's "Compare sources" and the change layer.
OPTIONAL_INPUTS = {("control-source", "value"), ("ledger-compare", "value"), ("change-layer", "value")}


def _id(component_id: Any) -> Any:
    return str(component_id) if not isinstance(component_id, dict) else component_id


def _key(component_id: Any) -> str:
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return str(component_id)


def _split_outputs(output_key: str) -> list[tuple[Any, str]]:
    """ "..a.b...c.d@hash.." -> [("a", "b"), ("c", "d@hash")]; dict ids come back parsed."""
    parts = output_key[2:-2].split("...") if output_key.startswith("..") else [output_key]
    result = []
    for part in parts:
        component, prop = part.rsplit(".", 1)
        result.append((json.loads(component) if component.startswith("{") else component, prop))
    return result


def _registered(client, outputs: Sequence[tuple[Any, str]], inputs: Sequence[Prop]) -> dict | None:
    """The app's registered callback with these inputs whose outputs include `outputs`, or None."""
    cache = client.application.config.setdefault("_test_dependencies", [])
    if not cache:
        cache.extend(client.get("/_dash-dependencies").json)
    wanted = {(_key(i), p) for i, p in outputs}
    given = {(_key(i), p) for i, p, _ in inputs}
    for callback in cache:
        names = {(_key(i), p.split("@", 1)[0]) for i, p in _split_outputs(callback["output"])}
        registered = {(_key(i["id"]), i["property"]) for i in callback["inputs"]}
        if wanted <= names and given <= registered and registered - given <= OPTIONAL_INPUTS:
            return callback
    return None


def _full_inputs(client, outputs, inputs: Sequence[Prop]) -> list[Prop]:
    """`inputs` in the registered order, with the optional inputs the test leaves out sent as None."""
    callback = _registered(client, outputs, inputs)
    if callback is None:
        return list(inputs)
    given = {(_key(i), p): (i, p, v) for i, p, v in inputs}
    return [given.get((_key(i["id"]), i["property"]), (i["id"], i["property"], None)) for i in callback["inputs"]]


def _full_state(client, outputs, inputs, state: Sequence[Prop]) -> list[Prop]:
    """`state` in the registered order, with any state the test does not name sent as None (as a page
    that has no such value would): the page's language (`lang`) is then the default."""
    callback = _registered(client, outputs, inputs)
    if callback is None:
        return list(state)
    given = {(_key(i), p): (i, p, v) for i, p, v in state}
    return [given.get((_key(s["id"]), s["property"]), (s["id"], s["property"], None)) for s in callback["state"]]


def _registered_outputs(client, outputs: Sequence[tuple[Any, str]], inputs: Sequence[Prop]) -> list[tuple[Any, str]]:
    """The whole output list of the app's callback with these inputs that includes `outputs`.

    A test names the outputs it looks at; the page's callback may write more (and
    Dash suffixes duplicate outputs with "@hash"), so the request is built from
    what the server registered. Unknown combinations are sent as given, which is
    what the hostile-input tests want.
    """
    callback = _registered(client, outputs, inputs)
    return list(outputs) if callback is None else _split_outputs(callback["output"])


def call(
    client,
    outputs: Sequence[tuple[Any, str]],
    inputs: Sequence[Prop],
    state: Sequence[Prop] = (),
    changed: Sequence[str] | None = None,
):
    """POST one callback; returns the Flask response (status, json)."""
    state = _full_state(client, outputs, inputs, state)
    changed = changed if changed is not None else [f"{_key(inputs[0][0])}.{inputs[0][1]}"]
    registered_outputs = _registered_outputs(client, outputs, inputs)
    inputs = _full_inputs(client, outputs, inputs)
    outputs = registered_outputs
    out_specs = [{"id": _id(i), "property": p} for i, p in outputs]
    if len(outputs) == 1:
        output_key = f"{_key(outputs[0][0])}.{outputs[0][1]}"
        outputs_field: Any = out_specs[0]
    else:
        output_key = ".." + "...".join(f"{_key(i)}.{p}" for i, p in outputs) + ".."
        outputs_field = out_specs
    payload = {
        "output": output_key,
        "outputs": outputs_field,
        "inputs": [{"id": _id(i), "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": _id(i), "property": p, "value": v} for i, p, v in state],
        "changedPropIds": list(changed),
    }
    return client.post("/_dash-update-component", json=payload)


def apply_patch(patch: dict) -> dict:
    """Turn a serialised dash.Patch of simple assignments into {location tuple: value}."""
    assert patch.get("__dash_patch_update") == "__dash_patch_update", patch
    result = {}
    for operation in patch["operations"]:
        assert operation["operation"] == "Assign", operation
        result[tuple(operation["location"])] = operation["params"]["value"]
    return result


def find_props(tree: Any, prop: str) -> list[Any]:
    """Every value of `prop` in a serialised component tree, depth first."""
    found: list[Any] = []
    if isinstance(tree, dict):
        props = tree.get("props", {})
        if prop in props:
            found.append(props[prop])
        for value in props.values():
            found.extend(find_props(value, prop))
    elif isinstance(tree, list):
        for item in tree:
            found.extend(find_props(item, prop))
    return found
