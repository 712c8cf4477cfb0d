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
from pulumi.runtime.rpc import UNKNOWN

from . import logs
from .errors import (
    ObLinkConflictError,
    OcpInvalidRequestError,
    OcpNotFoundError,
    OcpUnavailableError,
)

if TYPE_CHECKING:
    from .client import OcpClient
    from .config import OcpSettings
    from .models import ObLink, WriteReceipt

# Both the program and the engine's provider process import this module. pydantic models and
# requests are imported where first needed, so that a program or a preview does not pay for
# what it never uses.

OUTPUT_KEYS = ("trace_id", "server", "timestamp", "obproxy_cluster_name", "adopted_links")

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
        the first OCP call is due. Previews run check and diff only and need no OCP."""
        self._config_get = req.config.get

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validates and normalises inputs; makes no HTTP call."""
        from .inputs import check_inputs

        inputs, failures = check_inputs(news)
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compares links as a set keyed by cluster name; another OBProxy cluster replaces."""
        from .inputs import link_identities

        replaces = []
        new_proxy = news.get("obproxy_cluster_id")
        if _unknown(new_proxy) or _number(new_proxy) != _number(olds.get("obproxy_cluster_id")):
            replaces.append("obproxy_cluster_id")

        desired = link_identities(news)
        links_changed = desired is None or desired != link_identities(olds)

        changes = bool(replaces) or links_changed
        return DiffResult(changes=changes, replaces=replaces)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Adopts declared links OCP already holds and adds the rest with one batchAdd."""
        from .inputs import links_from_props
        from .models import WriteReceipt

        obproxy_cluster_id = int(props["obproxy_cluster_id"])
        desired = links_from_props(props)

        with self._client() as client:
            cluster = client.get_obproxy_cluster(obproxy_cluster_id)
            existing = {link.cluster_name: link for link in cluster.ob_links}
            _refuse_conflicts(obproxy_cluster_id, desired.values(), existing)

            adopted = sorted(name for name in desired if name in existing)
            missing = [link for name, link in desired.items() if name not in existing]
            receipt = self._add(client, obproxy_cluster_id, missing) if missing else None

        logs.info(
            f"OBProxy cluster {cluster.name} ({obproxy_cluster_id}): added "
            f"{_names(missing)}; adopted {_names(adopted)}"
        )
        outs = _outputs(props, receipt or WriteReceipt(), cluster.name, adopted)
        return CreateResult(f"{obproxy_cluster_id}/{uuid.uuid4().hex[:12]}", outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Reports the live state of the managed links, so that refresh shows drift."""
        from .inputs import links_from_props, links_to_props

        obproxy_cluster_id = int(props["obproxy_cluster_id"])
        managed = links_from_props(props)

        with self._client() as client:
            try:
                cluster = client.get_obproxy_cluster(obproxy_cluster_id)
            except OcpNotFoundError:
                logs.info(f"OBProxy cluster {obproxy_cluster_id} no longer exists in OCP")
                return ReadResult("", {})

        live = []
        for link in cluster.ob_links:
            declared = managed.get(link.cluster_name)
            if declared is None:
                continue
            # OCP's clusterId is derived, not configured: keep what the stack declared.
            live.append(link.model_copy(update={"cluster_id": declared.cluster_id}))

        plan = LinkPlan(managed, {link.cluster_name: link for link in live})
        if plan.has_changes:
            logs.info(f"OBProxy cluster {cluster.name} ({obproxy_cluster_id}): {plan}")

        inputs = {"obproxy_cluster_id": obproxy_cluster_id, "links": links_to_props(live)}
        outs = {**_stored_outputs(props), **inputs, "obproxy_cluster_name": cluster.name}
        return ReadResult(id_, outs, inputs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Adds new links with one batchAdd and removes dropped ones one DELETE each."""
        from .inputs import links_from_props
        from .models import WriteReceipt

        obproxy_cluster_id = int(news["obproxy_cluster_id"])
        plan = LinkPlan(links_from_props(olds), links_from_props(news))
        receipt = WriteReceipt.model_validate(olds)

        with self._client() as client:
            # Removals first: an RS_LIST OBProxy cluster holds one link at a time. A changed
            # link keeps its name, and OCP keys links by name, so it is removed before it is
            # added again.
            for name in plan.removed + plan.changed:
                receipt = _delete(client, obproxy_cluster_id, name) or receipt
            to_add = plan.added + plan.changed_links
            try:
                if to_add:
                    receipt = self._add(client, obproxy_cluster_id, to_add) or receipt
            except OcpInvalidRequestError:
                _restore(client, obproxy_cluster_id, plan.changed_before)
                raise

        if plan.has_changes:
            logs.info(f"OBProxy cluster {obproxy_cluster_id}: {plan}")
        cluster_name = olds.get("obproxy_cluster_name")
        adopted = olds.get("adopted_links") or []
        return UpdateResult(_outputs(news, receipt, cluster_name, adopted))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Removes the managed links; one already gone counts as removed."""
        from .inputs import links_from_props

        obproxy_cluster_id = int(props["obproxy_cluster_id"])
        names = sorted(links_from_props(props))

        with self._client() as client:
            for name in names:
                _delete(client, obproxy_cluster_id, name)

        logs.info(f"OBProxy cluster {obproxy_cluster_id}: removed {_names(names)}")

    # Helpers

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


def _restore(client: OcpClient, obproxy_cluster_id: int, links: list[ObLink]) -> None:
    """Puts back links removed for a change that OCP then refused, as they were."""
    if not links:
        return
    try:
        client.batch_add_ob_links(obproxy_cluster_id, links)
    except Exception as exc:
        logs.warn(
            f"OBProxy cluster {obproxy_cluster_id}: could not restore {_names(links)} after "
            f"OCP refused their new fields ({exc}); run `pulumi refresh` to see what OCP holds"
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
    props: Mapping[str, Any], receipt: WriteReceipt, cluster_name: Any, adopted: list[str]
) -> dict[str, Any]:
    from .inputs import links_from_props, links_to_props

    return {
        "obproxy_cluster_id": int(props["obproxy_cluster_id"]),
        "links": links_to_props(links_from_props(props).values()),
        "trace_id": receipt.trace_id,
        "server": receipt.server,
        "timestamp": receipt.timestamp,
        "obproxy_cluster_name": cluster_name,
        "adopted_links": adopted,
    }


def _stored_outputs(props: Mapping[str, Any]) -> dict[str, Any]:
    return {key: props.get(key) for key in OUTPUT_KEYS}


def _names(names: Iterable[Any]) -> str:
    listed = sorted(name if isinstance(name, str) else name.cluster_name for name in names)
    return ", ".join(listed) if listed else "none"


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _unknown(value: Any) -> bool:
    return isinstance(value, str) and value == UNKNOWN
