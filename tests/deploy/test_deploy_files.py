"""docker-compose.yml and deploy/k8s are generated from the manifest, up to date, and deploy every
process of it as it says: probes, scaling, network policies, topics, Kafka users, databases."""
from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict

import pytest
import yaml

from deploy.generate import stale_files
from deploy.kubernetes import DATABASE_CLIENT
from services.core.manifest import Process, load_manifest
from services.core.settings import REPO_ROOT

MANIFEST = load_manifest()


def test_the_generated_files_are_up_to_date():
    assert stale_files() == [], "run `python -m deploy.generate` and commit the result"


@pytest.fixture(scope="module")
def k8s() -> dict[str, dict[str, dict]]:
    """kind -> name -> resource, as `kubectl kustomize` renders the base (offline)."""
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is missing: deploy/local/tools.sh installs it"
    rendered = subprocess.run([kubectl, "kustomize", str(REPO_ROOT / "deploy" / "k8s" / "base")],
                              capture_output=True, text=True, check=True).stdout
    resources: dict[str, dict[str, dict]] = defaultdict(dict)
    for document in yaml.safe_load_all(rendered):
        resources[document["kind"]][document["metadata"]["name"]] = document
    return resources


@pytest.fixture(scope="module")
def compose() -> dict[str, dict]:
    return yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())["services"]


def _container(k8s, process: Process) -> dict:
    (container,) = k8s["Deployment"][process.name]["spec"]["template"]["spec"]["containers"]
    return container


@pytest.mark.parametrize("process", MANIFEST.processes(), ids=lambda process: process.name)
def test_every_process_has_a_deployment_with_both_probes(k8s, process):
    container = _container(k8s, process)
    assert f"{process.app}:create_app" in container["command"]
    assert container["command"][container["command"].index("--port") + 1] == str(process.port)
    assert container["ports"] == [{"name": "http", "containerPort": process.port}]
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["resources"]["limits"]["memory"] == process.memory
    env = {variable["name"]: variable.get("value") for variable in container["env"]}
    assert process.environment().items() <= env.items()
    assert k8s["Deployment"][process.name]["metadata"]["namespace"] == "france-travail"


@pytest.mark.parametrize("process", MANIFEST.processes(), ids=lambda process: process.name)
def test_only_horizontal_processes_autoscale_and_keep_a_replica_through_disruptions(k8s, process):
    autoscaler = k8s["HorizontalPodAutoscaler"].get(process.name)
    if process.scales_horizontally:
        assert (autoscaler["spec"]["minReplicas"], autoscaler["spec"]["maxReplicas"]) == (
            process.replicas.min, process.replicas.max)
        assert k8s["PodDisruptionBudget"][process.name]["spec"]["minAvailable"] == 1
    else:
        assert autoscaler is None and process.name not in k8s["PodDisruptionBudget"]
        assert k8s["Deployment"][process.name]["spec"]["replicas"] == 1
        assert k8s["Deployment"][process.name]["spec"]["strategy"] == {"type": "Recreate"}


def test_only_the_gateway_is_reachable_from_outside(k8s):
    policies = k8s["NetworkPolicy"]
    assert policies["default-deny-ingress"]["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": []}
    open_to_all = {name for name, policy in policies.items()
                   if any("from" not in rule for rule in policy["spec"]["ingress"])}
    assert open_to_all == {"gateway-from-anywhere"}
    gateway_pods = policies["gateway-from-anywhere"]["spec"]["podSelector"]["matchLabels"]
    assert gateway_pods == {"app.kubernetes.io/name": "gateway"}
    assert set(k8s["Ingress"]) == {"gateway"}
    workers = {process.name for process in MANIFEST.processes() if process.kind == "worker"}
    assert set(k8s["Service"]) == {process.name for process in MANIFEST.processes()} - workers


@pytest.mark.parametrize("service", MANIFEST.services, ids=lambda service: service.name)
def test_a_service_api_is_reachable_from_the_gateway_only(k8s, service):
    (rule,) = k8s["NetworkPolicy"][f"{service.name}-from-gateway"]["spec"]["ingress"]
    assert rule == {"from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "gateway"}}}],
                    "ports": [{"port": service.api.port}]}
    for process in service.processes:
        labels = k8s["Deployment"][process.name]["spec"]["template"]["metadata"]["labels"]
        assert labels[DATABASE_CLIENT] == "true"


def test_every_topic_and_its_dead_letter_twin_is_a_strimzi_topic(k8s):
    expected = {name for topic in MANIFEST.topics() for name in (topic, topic + ".dlq")}
    assert {topic["spec"]["topicName"] for topic in k8s["KafkaTopic"].values()} == expected
    assert k8s["Kafka"]["platform"]["spec"]["kafka"]["version"] == "4.1.1"
    assert {pool["spec"]["roles"][0] for pool in k8s["KafkaNodePool"].values()} == {"controller", "broker"}


@pytest.mark.parametrize("service", MANIFEST.services, ids=lambda service: service.name)
def test_each_service_kafka_user_may_do_what_the_manifest_says_and_no_more(k8s, service):
    user = k8s["KafkaUser"][service.name]["spec"]
    assert user["authentication"] == {"type": "scram-sha-512"}
    granted = {(acl["resource"]["type"], acl["resource"]["name"], operation)
               for acl in user["authorization"]["acls"] for operation in acl["operations"]}
    topics_written = {name for kind, name, operation in granted if kind == "topic" and operation == "Write"}
    topics_read = {name for kind, name, operation in granted if kind == "topic" and operation == "Read"}
    assert topics_written == set(service.produces) | {topic + ".dlq" for topic in service.consumes}
    assert topics_read == set(service.consumes)


def test_each_service_has_its_own_database_and_migration(k8s):
    names = {service.name for service in MANIFEST.services}
    # The gateway keeps the Idempotency-Keys every replica has seen in a database of its own.
    assert {db["spec"]["name"] for db in k8s["Database"].values()} == names | {"gateway"}
    assert {db["spec"]["owner"] for db in k8s["Database"].values()} == names | {"gateway"}
    gateway_env = k8s["Deployment"]["gateway"]["spec"]["template"]["spec"]["containers"][0]["env"]
    assert next(variable["value"] for variable in gateway_env if variable["name"] == "DATABASE_URL").endswith("/gateway")
    containers = k8s["Job"]["migrations"]["spec"]["template"]["spec"]["containers"]
    assert {container["command"][-1] for container in containers} == names
    for container in containers:
        url = next(variable["value"] for variable in container["env"] if variable["name"] == "DATABASE_URL")
        assert url.endswith(f"/{container['command'][-1]}")


@pytest.mark.parametrize("process", MANIFEST.processes(), ids=lambda process: process.name)
def test_compose_starts_every_process_once_migrations_and_topics_are_done(compose, process):
    entry = compose[process.name]
    assert f"{process.app}:create_app" in entry["command"]
    assert process.environment().items() <= entry["environment"].items()
    if process.service:
        assert entry["environment"]["DATABASE_URL"].endswith(f"@postgres:5432/{process.service}")
        assert entry["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert ("ports" in entry) == (process.kind == "gateway")


def test_compose_has_one_database_per_service_a_kraft_kafka_and_the_one_shot_job(compose):
    names = [service.name for service in MANIFEST.services]
    assert compose["postgres"]["environment"]["SERVICE_DATABASES"].split() == [*names, "gateway"]
    assert compose["gateway"]["environment"]["DATABASE_URL"].endswith("/gateway")
    assert compose["kafka"]["image"] == "apache/kafka:4.1.1"
    assert compose["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    steps = compose["migrate"]["command"][-1].split(" && ")
    assert steps[0].startswith("python -m services.core.broker ensure-topics")
    assert [step.rsplit(" ", 1)[-1] for step in steps[1:]] == names
    assert all(f"@postgres:5432/{name}\"" in step for name, step in zip(names, steps[1:]))
