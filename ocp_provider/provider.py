"""The dynamic provider behind ObProxyObLinks: its lifecycle, in the order the engine calls it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from . import logs
from .errors import (
    NameLookupError,
    ObLinkConflictError,
    OcpInvalidRequestError,
    OcpNotFoundError,
    OcpProviderError,
    OcpUnavailableError,
)
from .link_maps import is_unknown

if TYPE_CHECKING:
    from .client import OcpClient
    from .config import OcpSettings
    from .inputs import LinkInput
    from .models import ObLink, WriteReceipt

# Both the program and the engine's provider process import this module. pydantic models and
# requests are imported where first needed, so that a program or a preview does not pay for
# what it never uses.

OUTPUT_KEYS = (
    "trace_id",
    "server",
    "timestamp",
    "obproxy_cluster_name",
    "obproxy_cluster_looked_up",
    "adopted_links",
    "looked_up_links",
    "undeclared_links",
)

_SETTINGS_LOCK = threading.Lock()

# How many batchAdd calls one operation may send, each after reading what OCP holds.
MAX_ADD_ATTEMPTS = 3


class ObLinksProvider(ResourceProvider):
    """Keeps a set of obLinks of one OBProxy cluster as declared.

    The instance holds nothing when it is pickled into state: configuration arrives through
    `configure` after the engine unpickles it, so no endpoint or credential is ever serialised.
    """

    # The pickled provider is a bare class reference with no secret in it; keeping it in the
    # clear makes state readable and its size visible.
    serialize_as_secret_always = False

    _config_get: Callable[[str], Any] | None = None
    _settings: OcpSettings | None = None

    def __getstate__(self) -> dict[str, Any]:
        # Settings, and with them the password, must never be pickled into state.
        return {}

    def configure(self, req: ConfigureRequest) -> None:
        """Keeps `ocp:*` stack config; it is read, with the OCP_* environment as fallback, when
        the first OCP call is due. Previews run check and diff only, which need OCP only for
        exclusive resources and changed OBProxy cluster names."""
        self._config_get = req.config.get

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validates and normalises inputs. Makes no HTTP call, except to tell a preview which
        links a new exclusive resource would remove."""
        from .link_maps import unchanged_inputs

        unchanged = unchanged_inputs(olds, news)
        if unchanged is not None:
            # Validated when they were first checked; pydantic need not even be imported.
            return CheckResult(unchanged, [])

        from .inputs import check_inputs

        inputs, failures = check_inputs(news)
        if not olds and not failures and inputs.get("exclusive") is True:
            self._announce_removals(inputs, olds_outputs=None)
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compares links as a set keyed by cluster name; another OBProxy cluster replaces.

        Two cases read OCP: a changed OBProxy cluster name is looked up, so that following a
        rename in OCP updates rather than replaces; and an exclusive resource reads what OCP
        holds, so that a preview names the links the update would remove.
        """
        from .link_maps import link_identities, links_differ

        replaces = []
        renamed = False
        if "obproxy_cluster_name" in news:
            new_name = news["obproxy_cluster_name"]
            renamed = new_name != olds.get("obproxy_cluster_name")
            if is_unknown(new_name) or (
                renamed and not self._names_recorded_cluster(new_name, olds)
            ):
                replaces.append("obproxy_cluster_name")
        else:
            new_proxy = news.get("obproxy_cluster_id")
            if is_unknown(new_proxy) or _number(new_proxy) != _number(
                olds.get("obproxy_cluster_id")
            ):
                replaces.append("obproxy_cluster_id")

        desired = link_identities(news)
        recorded = link_identities(olds)
        links_changed = desired is None or recorded is None or links_differ(desired, recorded)
        new_mode = news.get("exclusive")
        mode_changed = is_unknown(new_mode) or bool(new_mode) != bool(olds.get("exclusive"))
        # Giving a name instead of an id, or the reverse, changes no link, but an update must
        # record it: refresh writes inputs back in the recorded shape.
        shape_changed = _shape_of_inputs(news) != _shape_of_state(olds)

        removals = False
        if new_mode is True and not replaces:
            removals = bool(self._announce_removals(news, olds_outputs=olds))

        changes = (
            bool(replaces) or renamed or links_changed or mode_changed or shape_changed or removals
        )
        return DiffResult(changes=changes, replaces=replaces)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Adopts declared links OCP already holds and adds the rest with one batchAdd; in
        exclusive mode, first removes the links the stack does not declare."""
        from .inputs import declared_links
        from .models import WriteReceipt

        declared = declared_links(props)
        exclusive = props.get("exclusive") is True

        with self._client() as client:
            obproxy_cluster_id = self._obproxy_cluster_id(client, props)
            cluster = client.get_obproxy_cluster(obproxy_cluster_id)
            existing = {link.cluster_name: link for link in cluster.ob_links}
            desired = _resolve_links(client, declared, existing)
            _refuse_conflicts(obproxy_cluster_id, desired.values(), existing)

            undeclared = sorted(name for name in existing if name not in desired)
            receipt = WriteReceipt()
            removed: list[ObLink] = []
            if exclusive:
                # Removals first: an RS_LIST OBProxy cluster holds one link at a time.
                for name in undeclared:
                    receipt = (
                        _remove(client, obproxy_cluster_id, existing[name], removed) or receipt
                    )
            adopted = sorted(name for name in desired if name in existing)
            missing = [link for name, link in desired.items() if name not in existing]
            receipt = self._add_or_restore(client, obproxy_cluster_id, missing, removed) or receipt

        logs.info(
            f"OBProxy cluster {cluster.name} ({obproxy_cluster_id}): added "
            f"{_names(missing)}; adopted {_names(adopted)}"
            + (f"; removed undeclared {_names(removed)}" if exclusive else "")
        )
        outs = _outputs(
            props,
            desired,
            receipt,
            cluster_id=obproxy_cluster_id,
            cluster_name=cluster.name,
            adopted=adopted,
            undeclared=[] if exclusive else undeclared,
        )
        return CreateResult(f"{obproxy_cluster_id}/{uuid.uuid4().hex[:12]}", outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Reports the live state of the managed links, so that refresh shows drift, and which
        links OCP holds that the stack does not declare."""
        from .inputs import links_from_props
        from .link_maps import links_to_props

        obproxy_cluster_id = int(props["obproxy_cluster_id"])
        managed = links_from_props(props)

        with self._client() as client:
            try:
                cluster = client.get_obproxy_cluster(obproxy_cluster_id)
            except OcpNotFoundError:
                logs.info(f"OBProxy cluster {obproxy_cluster_id} no longer exists in OCP")
                return ReadResult("", {})

        live = []
        undeclared = []
        for link in cluster.ob_links:
            declared = managed.get(link.cluster_name)
            if declared is None:
                undeclared.append(link.cluster_name)
                continue
            # OCP's clusterId is derived, not configured: keep what the stack declared.
            live.append(link.model_copy(update={"cluster_id": declared.cluster_id}))

        plan = LinkPlan(managed, {link.cluster_name: link for link in live})
        if plan.has_changes:
            logs.info(f"OBProxy cluster {cluster.name} ({obproxy_cluster_id}): {plan}")

        # Inputs keep the shape the program declared them in, so a later preview shows only
        # real differences: names stay names where the program gave no id.
        inputs = _inputs_as_declared(props, cluster.name, links_to_props(live))
        outs = {
            **_stored_outputs(props),
            "obproxy_cluster_id": obproxy_cluster_id,
            "obproxy_cluster_name": cluster.name,
            "links": links_to_props(live),
            "exclusive": props.get("exclusive") is True,
            "undeclared_links": sorted(undeclared),
        }
        return ReadResult(id_, outs, inputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Removes dropped links one DELETE each and adds new ones with one batchAdd; in
        exclusive mode, reads OCP first and removes the links the stack does not declare."""
        from .inputs import declared_links, links_from_props
        from .models import WriteReceipt

        # diff replaces the resource when the OBProxy cluster changes, so the recorded id holds.
        obproxy_cluster_id = int(olds["obproxy_cluster_id"])
        exclusive = news.get("exclusive") is True
        recorded = links_from_props(olds)
        receipt = WriteReceipt.model_validate(olds)

        with self._client() as client:
            current = recorded
            if exclusive:
                cluster = client.get_obproxy_cluster(obproxy_cluster_id)
                current = {link.cluster_name: link for link in cluster.ob_links}
            desired = _resolve_links(client, declared_links(news), {**recorded, **current})
            plan = LinkPlan(current, desired)

            # Removals first: an RS_LIST OBProxy cluster holds one link at a time. A changed
            # link keeps its name, and OCP keys links by name, so it is removed before it is
            # added again.
            removed: list[ObLink] = []
            for name in plan.removed + plan.changed:
                receipt = _remove(client, obproxy_cluster_id, current[name], removed) or receipt
            to_add = plan.added + plan.changed_links
            receipt = self._add_or_restore(client, obproxy_cluster_id, to_add, removed) or receipt

        if plan.has_changes:
            logs.info(f"{_cluster_label(olds, obproxy_cluster_id)}: {plan}")
        undeclared = (
            []
            if exclusive
            else [name for name in olds.get("undeclared_links") or [] if name not in desired]
        )
        outs = _outputs(
            news,
            desired,
            receipt,
            cluster_id=obproxy_cluster_id,
            # A new name here names the same cluster: diff replaces the resource otherwise.
            cluster_name=news.get("obproxy_cluster_name", olds.get("obproxy_cluster_name")),
            adopted=olds.get("adopted_links") or [],
            undeclared=undeclared,
        )
        return UpdateResult(outs)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Removes the managed links; one already gone counts as removed. Links the stack never
        declared stay, in exclusive mode too."""
        from .inputs import links_from_props

        obproxy_cluster_id = int(props["obproxy_cluster_id"])
        names = sorted(links_from_props(props))

        with self._client() as client:
            for name in names:
                _delete(client, obproxy_cluster_id, name)

        logs.info(f"{_cluster_label(props, obproxy_cluster_id)}: removed {_names(names)}")

    # Helpers

    def _obproxy_cluster_id(self, client: OcpClient, props: Mapping[str, Any]) -> int:
        if "obproxy_cluster_id" in props:
            return int(props["obproxy_cluster_id"])
        from .names import obproxy_cluster_id_named

        return obproxy_cluster_id_named(client, props["obproxy_cluster_name"])

    def _names_recorded_cluster(self, name: str, olds: Mapping[str, Any]) -> bool:
        """True when OCP's OBProxy cluster called `name` is the one the state records.

        A resource whose OBProxy cluster was renamed in OCP, and then in the program, must not
        be replaced: the replacement would adopt the links and deleting the old resource would
        then remove them. So a changed name is looked up, at the cost of one listing.
        """
        from .names import obproxy_cluster_id_named

        try:
            with self._client() as client:
                return obproxy_cluster_id_named(client, name) == int(olds["obproxy_cluster_id"])
        except NameLookupError:
            return False
        except OcpProviderError as exc:
            logs.warn(
                f"could not look up OBProxy cluster {name!r} ({exc}); shown as a replacement, "
                "which `pulumi up` decides again once OCP can be read"
            )
            return False

    def _announce_removals(
        self, props: Mapping[str, Any], olds_outputs: Mapping[str, Any] | None
    ) -> list[str]:
        """Tells a preview which links exclusive mode would remove, and returns their names.

        When OCP cannot be read (a preview without credentials, say), the names the last
        refresh recorded stand in.
        """
        # Limitation: Python dynamic providers cannot return a detailed diff, so a message, not
        # the property diff, is how a preview names the links exclusive mode will remove.
        from .link_maps import link_identities

        desired = link_identities(props)
        if desired is None or (olds_outputs is None and _has_unknown_proxy(props)):
            return []

        try:
            with self._client() as client:
                if olds_outputs is not None:
                    obproxy_cluster_id = int(olds_outputs["obproxy_cluster_id"])
                else:
                    obproxy_cluster_id = self._obproxy_cluster_id(client, props)
                cluster = client.get_obproxy_cluster(obproxy_cluster_id)
        except OcpProviderError as exc:
            recorded = (olds_outputs or {}).get("undeclared_links") or []
            undeclared = sorted(name for name in recorded if name not in desired)
            known = (
                f"the last refresh found {_names(undeclared)}"
                if undeclared
                else "this preview cannot say which links exclusive mode would remove"
            )
            where = (
                _cluster_label(olds_outputs, int(olds_outputs["obproxy_cluster_id"]))
                if olds_outputs is not None
                else _declared_label(props)
            )
            if isinstance(exc, NameLookupError):
                logs.warn(f"{where}: {exc}; creating this resource will fail until it is fixed")
            else:
                logs.warn(f"{where}: exclusive mode: could not read OCP ({exc}); {known}")
            return undeclared

        undeclared = sorted(
            link.cluster_name for link in cluster.ob_links if link.cluster_name not in desired
        )
        if undeclared:
            logs.info(
                f"OBProxy cluster {cluster.name} ({obproxy_cluster_id}): exclusive mode will "
                f"remove the obLinks the stack does not declare: {_names(undeclared)}"
            )
        return undeclared

    def _client(self) -> OcpClient:
        from .client import OcpClient
        from .config import resolve_settings

        # The engine calls up to four methods at once; settings are resolved, and their
        # warnings shown, once.
        with _SETTINGS_LOCK:
            if self._settings is None:
                # Stack config when the engine configured this provider, else the environment.
                self._settings = resolve_settings(self._config_get or (lambda _key: None))
                for choice in self._settings.insecure_choices():
                    logs.warn(f"ocp-provider: {choice}")
        return OcpClient(self._settings)

    @classmethod
    def _add_or_restore(
        cls,
        client: OcpClient,
        obproxy_cluster_id: int,
        links: list[ObLink],
        removed: list[ObLink],
    ) -> WriteReceipt | None:
        """Adds links; when OCP refuses them, it applied none, so the links this operation
        removed first are put back and nothing is left half-done."""
        if not links:
            return None
        try:
            return cls._add(client, obproxy_cluster_id, links)
        except (OcpInvalidRequestError, ObLinkConflictError):
            _restore(client, obproxy_cluster_id, removed)
            raise

    @staticmethod
    def _add(
        client: OcpClient, obproxy_cluster_id: int, links: list[ObLink]
    ) -> WriteReceipt | None:
        """Adds links with batchAdd, never sending one twice without looking first.

        batchAdd is not idempotent. When its answer is lost or is an error, OCP may or may not
        have applied it, and an earlier, half-finished run may have added some links already:
        read the OBProxy cluster and send only what is still missing. Returns None when OCP
        turned out to hold every link already, so no traceId belongs to this run.
        """
        pending = links
        for _ in range(MAX_ADD_ATTEMPTS):
            try:
                return client.batch_add_ob_links(obproxy_cluster_id, pending)
            except (OcpInvalidRequestError, OcpUnavailableError) as exc:
                failure = exc

            cluster = client.get_obproxy_cluster(obproxy_cluster_id)
            existing = {link.cluster_name: link for link in cluster.ob_links}
            _refuse_conflicts(obproxy_cluster_id, pending, existing)
            missing = [link for link in pending if link.cluster_name not in existing]
            if not missing:
                logs.info(
                    f"OBProxy cluster {obproxy_cluster_id}: OCP holds {_names(pending)} already "
                    f"although batchAdd answered: {failure}"
                )
                return None
            if isinstance(failure, OcpInvalidRequestError) and len(missing) == len(pending):
                # A real rejection: OCP applied nothing and would reject the same again.
                raise failure
            pending = missing
        raise failure


class LinkPlan:
    """What it takes to go from the current links to the desired ones."""

    def __init__(self, current: Mapping[str, ObLink], desired: Mapping[str, ObLink]) -> None:
        self.added = [link for name, link in sorted(desired.items()) if name not in current]
        self.removed = sorted(name for name in current if name not in desired)
        self.changed = sorted(
            name
            for name, link in desired.items()
            if name in current and not current[name].same_link(link)
        )
        self.changed_links = [desired[name] for name in self.changed]
        self.changed_before = [current[name] for name in self.changed]

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def __str__(self) -> str:
        parts = [
            f"{label} {_names(names)}"
            for label, names in (
                ("add", [link.cluster_name for link in self.added]),
                ("remove", self.removed),
                ("replace", self.changed),
            )
            if names
        ]
        return "; ".join(parts) or "no change"


def _resolve_links(
    client: OcpClient, declared: Iterable[LinkInput], known: Mapping[str, ObLink]
) -> dict[str, ObLink]:
    """The declared links with every obClusterId filled in, keyed by cluster name.

    A link declared without one takes it from the link OCP or the state already holds under
    that name, else from OCP's list of OceanBase clusters. Every name is looked up before any
    write, so a name that matches nothing stops the operation with nothing done.
    """
    from .models import ObLink
    from .names import ob_cluster_named

    resolved: dict[str, ObLink] = {}
    problems: list[str] = []
    for link in declared:
        ob_cluster_id = link.ob_cluster_id
        if ob_cluster_id is None:
            # Limitation: an id once looked up is kept, so a cluster rebuilt under the same name
            # keeps its old obClusterId here until the link is declared again.
            held = known.get(link.cluster_name)
            if held is not None:
                ob_cluster_id = held.ob_cluster_id
            else:
                try:
                    ob_cluster_id = ob_cluster_named(client, link.cluster_name).ob_cluster_id
                except NameLookupError as exc:
                    problems.append(str(exc))
                    continue
        resolved[link.cluster_name] = ObLink(
            cluster_name=link.cluster_name,
            ob_cluster_id=ob_cluster_id,
            username=link.username,
            cluster_id=link.cluster_id,
        )

    if problems:
        raise NameLookupError(
            "Some links name no single OceanBase cluster, so nothing was changed: "
            + " ".join(problems)
        )
    return resolved


def _remove(
    client: OcpClient, obproxy_cluster_id: int, link: ObLink, removed: list[ObLink]
) -> WriteReceipt | None:
    """Deletes one link, noting it in `removed` unless it was already gone."""
    receipt = _delete(client, obproxy_cluster_id, link.cluster_name)
    if receipt is not None:
        removed.append(link)
    return receipt


def _restore(client: OcpClient, obproxy_cluster_id: int, links: list[ObLink]) -> None:
    """Puts back links an operation removed before OCP refused its batchAdd, as they were."""
    if not links:
        return
    try:
        client.batch_add_ob_links(obproxy_cluster_id, links)
    except Exception as exc:
        logs.warn(
            f"OBProxy cluster {obproxy_cluster_id}: could not restore {_names(links)} after "
            f"OCP refused the links to add ({exc}); run `pulumi refresh` to see what OCP holds"
        )
    else:
        logs.info(f"OBProxy cluster {obproxy_cluster_id}: restored {_names(links)} as they were")


def _delete(client: OcpClient, obproxy_cluster_id: int, name: str) -> WriteReceipt | None:
    try:
        return client.delete_ob_link(obproxy_cluster_id, name)
    except OcpNotFoundError:
        return None


def _refuse_conflicts(
    obproxy_cluster_id: int, links: Iterable[ObLink], existing: Mapping[str, ObLink]
) -> None:
    problems = []
    for link in links:
        held = existing.get(link.cluster_name)
        if held is not None and not held.same_link(link):
            problems.append(
                f"{link.cluster_name!r} is held with ob_cluster_id={held.ob_cluster_id}, "
                f"username={held.username!r}, but the stack declares "
                f"ob_cluster_id={link.ob_cluster_id}, username={link.username!r}"
            )
    if problems:
        raise ObLinkConflictError(
            f"OBProxy cluster {obproxy_cluster_id} already has obLinks that differ from the "
            f"stack: {'; '.join(problems)}. Declare the fields OCP holds, or remove the link in "
            "OCP first; the provider does not overwrite links it did not create."
        )


def _outputs(
    props: Mapping[str, Any],
    links: Mapping[str, ObLink],
    receipt: WriteReceipt,
    *,
    cluster_id: int,
    cluster_name: Any,
    adopted: list[str],
    undeclared: list[str],
) -> dict[str, Any]:
    from .inputs import declared_links
    from .link_maps import links_to_props

    looked_up = [link.cluster_name for link in declared_links(props) if link.ob_cluster_id is None]
    return {
        "obproxy_cluster_id": cluster_id,
        "obproxy_cluster_name": cluster_name,
        "obproxy_cluster_looked_up": "obproxy_cluster_id" not in props,
        "links": links_to_props(links.values()),
        "exclusive": props.get("exclusive") is True,
        "trace_id": receipt.trace_id,
        "server": receipt.server,
        "timestamp": receipt.timestamp,
        "adopted_links": adopted,
        "looked_up_links": sorted(looked_up),
        "undeclared_links": sorted(undeclared),
    }


def _inputs_as_declared(
    outputs: Mapping[str, Any], cluster_name: str, links: Mapping[str, dict[str, Any]]
) -> dict[str, Any]:
    """Inputs for live links in the shape the program declares them: by name where it gave
    no id."""
    looked_up = set(outputs.get("looked_up_links") or [])
    inputs: dict[str, Any] = (
        {"obproxy_cluster_name": cluster_name}
        if outputs.get("obproxy_cluster_looked_up")
        else {"obproxy_cluster_id": int(outputs["obproxy_cluster_id"])}
    )
    inputs["links"] = {
        name: {key: value for key, value in fields.items() if key != "ob_cluster_id"}
        if name in looked_up
        else fields
        for name, fields in links.items()
    }
    if outputs.get("exclusive") is True:
        inputs["exclusive"] = True
    return inputs


def _stored_outputs(props: Mapping[str, Any]) -> dict[str, Any]:
    return {key: props.get(key) for key in OUTPUT_KEYS}


def _cluster_label(recorded: Mapping[str, Any], obproxy_cluster_id: int) -> str:
    """How messages name an OBProxy cluster: by name and id when the state knows the name."""
    name = recorded.get("obproxy_cluster_name")
    return (
        f"OBProxy cluster {name} ({obproxy_cluster_id})"
        if name
        else (f"OBProxy cluster {obproxy_cluster_id}")
    )


def _declared_label(props: Mapping[str, Any]) -> str:
    if "obproxy_cluster_name" in props:
        return f"OBProxy cluster {props['obproxy_cluster_name']}"
    return f"OBProxy cluster {_number(props.get('obproxy_cluster_id'))}"


def _names(names: Iterable[Any]) -> str:
    listed = sorted(name if isinstance(name, str) else name.cluster_name for name in names)
    return ", ".join(listed) if listed else "none"


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _shape_of_inputs(news: Mapping[str, Any]) -> tuple[bool, frozenset[str]] | None:
    """Whether the OBProxy cluster is given by name, and which links lack an obClusterId."""
    links = news.get("links")
    if not isinstance(links, Mapping):
        return None
    looked_up = frozenset(
        name
        for name, fields in links.items()
        if isinstance(fields, Mapping) and "ob_cluster_id" not in fields
    )
    return "obproxy_cluster_name" in news, looked_up


def _shape_of_state(olds: Mapping[str, Any]) -> tuple[bool, frozenset[str]]:
    looked_up = frozenset(olds.get("looked_up_links") or [])
    return bool(olds.get("obproxy_cluster_looked_up")), looked_up


def _has_unknown_proxy(props: Mapping[str, Any]) -> bool:
    return is_unknown(props.get("obproxy_cluster_id")) or is_unknown(
        props.get("obproxy_cluster_name")
    )
