"""deploy/k8s/base from the manifest: a Deployment per process, Kafka on Strimzi, PostgreSQL on
CloudNativePG, and NetworkPolicies under which only the gateway is reachable from outside.

Secrets are referenced, never written: `<service>-db` (basic-auth: username = the service, password)
for each service's PostgreSQL role, `platform-secrets` (pii-hash-secret), `gateway-signing-key`
(signing-key.pem) and `gateway-partners` (partners.yaml); Strimzi writes each KafkaUser's password
into a Secret named after the service.
"""
from __future__ import annotations

from typing import Any

from deploy.runtime import DATA_DIR, IMAGE, SHARED_DIR, database_owners, database_url, migrate_command, uvicorn_command
from services.core.broker import DLQ_SUFFIX
from services.core.kafka_acls import Grant, service_grants
from services.core.manifest import Manifest, Process, Service, SharedDir

NAMESPACE = "france-travail"
KAFKA_CLUSTER = "platform"
KAFKA_BOOTSTRAP = f"{KAFKA_CLUSTER}-kafka-bootstrap:9092"
DB_CLUSTER = "platform-db"
PARTITIONS = 3
PART_OF = {"app.kubernetes.io/part-of": "france-travail-platform"}
# Pods allowed through the Kafka listener's and PostgreSQL's network policies.
KAFKA_CLIENT = "platform.france-travail.fr/kafka-client"
DATABASE_CLIENT = "platform.france-travail.fr/database-client"
CONFIG = "platform-config"
SECRETS_DIR = "/etc/platform"


def k8s_files(manifest: Manifest) -> dict[str, list[dict[str, Any]]]:
    """File name under deploy/k8s/base -> its documents."""
    files = {"namespace.yaml": [_namespace()], "config.yaml": [_config()]}
    for service in manifest.services:
        if service.shared_dir:
            files[f"{service.name}-shared.yaml"] = [_shared_claim(service)]
        for process in service.processes:
            files[f"{process.name}.yaml"] = _process_documents(process, _service_env(service), service.shared_dir)
    files["gateway.yaml"] = _process_documents(manifest.gateway, _gateway_env(manifest)) + [_ingress(manifest.gateway)]
    files["network-policies.yaml"] = _network_policies(manifest)
    files["kafka.yaml"] = _kafka(manifest)
    files["postgres.yaml"] = _postgres(manifest)
    files["migrations-job.yaml"] = [_migrations_job(manifest)]
    files["kustomization.yaml"] = [_kustomization(files)]
    return files


def _meta(name: str, labels: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "labels": {**PART_OF, **(labels or {})}, **extra}


def _selector(process: Process) -> dict[str, str]:
    return {"app.kubernetes.io/name": process.name}


def _namespace() -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": _meta(NAMESPACE)}


def _config() -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(CONFIG), "data": {
        "KAFKA_BOOTSTRAP_SERVERS": KAFKA_BOOTSTRAP, "GATEWAY_URL": "http://gateway:8000", "LOG_LEVEL": "INFO",
        "DATA_DIR": DATA_DIR,
        # Where callers reach the gateway (the Ingress host): the base of every problem type URI.
        "PUBLIC_API_URL": "https://api.france-travail.local"}}


def _secret_env(name: str, secret: str, key: str) -> dict[str, Any]:
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}


def _database_env(service: str) -> list[dict[str, Any]]:
    # Kubernetes expands $(VAR) from the variables defined before it.
    url = database_url(f"{DB_CLUSTER}-rw", service, "$(DB_USER)", "$(DB_PASSWORD)")
    return [_secret_env("DB_USER", f"{service}-db", "username"), _secret_env("DB_PASSWORD", f"{service}-db", "password"),
            {"name": "DATABASE_URL", "value": url}]


def _service_env(service: Service) -> list[dict[str, Any]]:
    kafka_user = [{"name": "KAFKA_SECURITY_PROTOCOL", "value": "SASL_PLAINTEXT"},
                  {"name": "KAFKA_SASL_MECHANISM", "value": "SCRAM-SHA-512"},
                  {"name": "KAFKA_SASL_USERNAME", "value": service.name},
                  _secret_env("KAFKA_SASL_PASSWORD", service.name, "password")]
    shared = [{"name": service.shared_dir.setting, "value": SHARED_DIR}] if service.shared_dir else []
    pii_secret = _secret_env("PII_HASH_SECRET", "platform-secrets", "pii-hash-secret")
    return [*_database_env(service.name), *kafka_user, pii_secret, *shared]


def _shared_claim(service: Service) -> dict[str, Any]:
    # Pods of every node mount it: the storage class must offer ReadWriteMany (NFS, CephFS, EFS…).
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": _meta(f"{service.name}-shared"),
            "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": service.shared_dir.size}}}}


def _gateway_env(manifest: Manifest) -> list[dict[str, Any]]:
    upstreams = [{"name": f"{service.name.upper()}_URL", "value": f"http://{service.api.name}:{service.api.port}"}
                 for service in manifest.services]
    # Its database holds the Idempotency-Keys seen across services, shared by every replica.
    return [*upstreams, *_database_env("gateway"),
            {"name": "PARTNERS_FILE", "value": f"{SECRETS_DIR}/partners/partners.yaml"},
            {"name": "GATEWAY_KEY_FILE", "value": f"{SECRETS_DIR}/signing-key/signing-key.pem"}]


def _pod_labels(process: Process) -> dict[str, str]:
    labels = {**_selector(process), "app.kubernetes.io/component": process.kind, DATABASE_CLIENT: "true"}
    if process.service:
        labels[KAFKA_CLIENT] = "true"
    return labels


def _volumes(process: Process, shared: SharedDir | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The writable directories of a read-only container, the service's shared directory, and the
    gateway's secrets as files."""
    volumes = [{"name": "data", "emptyDir": {}}, {"name": "tmp", "emptyDir": {}}]
    mounts = [{"name": "data", "mountPath": DATA_DIR}, {"name": "tmp", "mountPath": "/tmp"}]
    if shared:
        volumes.append({"name": "shared", "persistentVolumeClaim": {"claimName": f"{process.service}-shared"}})
        mounts.append({"name": "shared", "mountPath": SHARED_DIR})
    if process.service is None:
        for name, secret in (("partners", "gateway-partners"), ("signing-key", "gateway-signing-key")):
            volumes.append({"name": name, "secret": {"secretName": secret}})
            mounts.append({"name": name, "mountPath": f"{SECRETS_DIR}/{name}", "readOnly": True})
    return volumes, mounts


def _container(process: Process, env: list[dict[str, Any]], mounts: list[dict[str, Any]]) -> dict[str, Any]:
    def probe(path: str, period: int) -> dict[str, Any]:
        return {"httpGet": {"path": path, "port": "http"}, "periodSeconds": period, "timeoutSeconds": 3,
                "failureThreshold": 3}

    return {
        "name": process.name, "image": IMAGE, "command": uvicorn_command(process),
        "ports": [{"name": "http", "containerPort": process.port}],
        "envFrom": [{"configMapRef": {"name": CONFIG}}],
        "env": [*env, *({"name": name, "value": value} for name, value in process.environment().items())],
        "startupProbe": {**probe("/healthz", 2), "failureThreshold": 60},
        "livenessProbe": probe("/healthz", 10),
        "readinessProbe": probe("/readyz", 5),
        "resources": {"requests": {"cpu": "250m", "memory": process.memory}, "limits": {"memory": process.memory}},
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "capabilities": {"drop": ["ALL"]}},
        "volumeMounts": mounts,
    }


def _pod_security() -> dict[str, Any]:
    return {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001, "fsGroup": 10001,
            "seccompProfile": {"type": "RuntimeDefault"}}


def _process_documents(process: Process, env: list[dict[str, Any]],
                       shared: SharedDir | None = None) -> list[dict[str, Any]]:
    volumes, mounts = _volumes(process, shared)
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": _meta(process.name, _selector(process)),
        "spec": {
            "replicas": process.replicas.min if process.replicas else 1,
            # A single replica stops before its successor starts: never two at once on its work.
            "strategy": {"type": "RollingUpdate" if process.scales_horizontally else "Recreate"},
            "selector": {"matchLabels": _selector(process)},
            "template": {"metadata": {"labels": {**PART_OF, **_pod_labels(process)}}, "spec": {
                "automountServiceAccountToken": False, "securityContext": _pod_security(),
                "containers": [_container(process, env, mounts)], "volumes": volumes}},
        },
    }
    documents = [deployment]
    if process.kind != "worker":
        documents.append({"apiVersion": "v1", "kind": "Service", "metadata": _meta(process.name, _selector(process)),
                          "spec": {"selector": _selector(process),
                                   "ports": [{"name": "http", "port": process.port, "targetPort": "http"}]}})
    if process.scales_horizontally:
        documents += [_autoscaler(process), _disruption_budget(process)]
    return documents


def _autoscaler(process: Process) -> dict[str, Any]:
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": _meta(process.name),
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": process.name},
                     "minReplicas": process.replicas.min, "maxReplicas": process.replicas.max,
                     "metrics": [{"type": "Resource", "resource": {
                         "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}}


def _disruption_budget(process: Process) -> dict[str, Any]:
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": _meta(process.name),
            "spec": {"minAvailable": 1, "selector": {"matchLabels": _selector(process)}}}


def _ingress(gateway: Process) -> dict[str, Any]:
    # The platform's only way in; host, TLS and ingress class belong to the target cluster.
    backend = {"service": {"name": gateway.name, "port": {"name": "http"}}}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": _meta(gateway.name),
            "spec": {"rules": [{"http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": backend}]}}]}}


def _policy(name: str, pod_selector: dict[str, str], ingress: list[dict[str, Any]]) -> dict[str, Any]:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": _meta(name),
            "spec": {"podSelector": {"matchLabels": pod_selector} if pod_selector else {}, "policyTypes": ["Ingress"],
                     "ingress": ingress}}


def _network_policies(manifest: Manifest) -> list[dict[str, Any]]:
    gateway = manifest.gateway
    from_gateway = [{"podSelector": {"matchLabels": _selector(gateway)}}]
    policies = [
        _policy("default-deny-ingress", {}, []),
        _policy("gateway-from-anywhere", _selector(gateway), [{"ports": [{"port": gateway.port}]}]),
    ]
    policies += [_policy(f"{service.name}-from-gateway", _selector(service.api),
                         [{"from": from_gateway, "ports": [{"port": service.api.port}]}])
                 for service in manifest.services]
    cluster = {"cnpg.io/cluster": DB_CLUSTER}
    policies.append(_policy("postgres", cluster, [
        {"from": [{"podSelector": {"matchLabels": {DATABASE_CLIENT: "true"}}},
                  {"podSelector": {"matchLabels": cluster}}],
         "ports": [{"port": 5432}]},
        # The CloudNativePG operator asks each instance for its status.
        {"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "cnpg-system"}}}],
         "ports": [{"port": 8000}]},
    ]))
    return policies


def _kafka(manifest: Manifest) -> list[dict[str, Any]]:
    pool_labels = {"strimzi.io/cluster": KAFKA_CLUSTER}
    pools = [{"apiVersion": "kafka.strimzi.io/v1beta2", "kind": "KafkaNodePool", "metadata": _meta(name, pool_labels),
              "spec": {"replicas": 3, "roles": [role],
                       "storage": {"type": "persistent-claim", "size": size, "deleteClaim": False}}}
             for name, role, size in (("controllers", "controller", "10Gi"), ("brokers", "broker", "100Gi"))]
    listener = {"name": "scram", "port": 9092, "type": "internal", "tls": False,
                "authentication": {"type": "scram-sha-512"},
                "networkPolicyPeers": [{"podSelector": {"matchLabels": {KAFKA_CLIENT: "true"}}}]}
    kafka = {
        "apiVersion": "kafka.strimzi.io/v1beta2", "kind": "Kafka",
        "metadata": _meta(KAFKA_CLUSTER,
                          annotations={"strimzi.io/node-pools": "enabled", "strimzi.io/kraft": "enabled"}),
        "spec": {"kafka": {"version": "4.1.1", "listeners": [listener], "authorization": {"type": "simple"},
                           "config": {"auto.create.topics.enable": False, "default.replication.factor": 3,
                                      "min.insync.replicas": 2, "offsets.topic.replication.factor": 3,
                                      "transaction.state.log.replication.factor": 3,
                                      "transaction.state.log.min.isr": 2}},
                 "entityOperator": {"topicOperator": {}, "userOperator": {}}},
    }
    topics = [_topic(name) for topic in manifest.topics() for name in (topic, topic + DLQ_SUFFIX)]
    return [*pools, kafka, *topics, *(_kafka_user(service) for service in manifest.services)]


def _topic(name: str) -> dict[str, Any]:
    return {"apiVersion": "kafka.strimzi.io/v1beta2", "kind": "KafkaTopic",
            "metadata": _meta(name, {"strimzi.io/cluster": KAFKA_CLUSTER}),
            "spec": {"topicName": name, "partitions": PARTITIONS, "replicas": 3, "config": {"min.insync.replicas": 2}}}


def _acl(grant: Grant) -> dict[str, Any]:
    pattern = "prefix" if grant.prefixed else "literal"
    return {"resource": {"type": grant.resource, "name": grant.name, "patternType": pattern},
            "operations": list(grant.operations)}


def _kafka_user(service: Service) -> dict[str, Any]:
    """The grants of the local broker's principals (services/core/kafka_acls.py), as a Strimzi KafkaUser."""
    acls = [_acl(grant) for grant in service_grants(service)]
    return {"apiVersion": "kafka.strimzi.io/v1beta2", "kind": "KafkaUser",
            "metadata": _meta(service.name, {"strimzi.io/cluster": KAFKA_CLUSTER}),
            "spec": {"authentication": {"type": "scram-sha-512"},
                     "authorization": {"type": "simple", "acls": acls}}}


def _postgres(manifest: Manifest) -> list[dict[str, Any]]:
    roles = [{"name": owner, "ensure": "present", "login": True, "passwordSecret": {"name": f"{owner}-db"}}
             for owner in database_owners(manifest)]
    cluster = {"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster", "metadata": _meta(DB_CLUSTER),
               "spec": {"instances": 3, "storage": {"size": "20Gi"}, "managed": {"roles": roles}}}
    databases = [{"apiVersion": "postgresql.cnpg.io/v1", "kind": "Database",
                  "metadata": _meta(f"{DB_CLUSTER}-{owner}"),
                  "spec": {"name": owner, "owner": owner, "cluster": {"name": DB_CLUSTER}}}
                 for owner in database_owners(manifest)]
    return [cluster, *databases]


def _migrations_job(manifest: Manifest) -> dict[str, Any]:
    """Every service's migrations, side by side (each on its own database). Strimzi creates the
    topics from the KafkaTopic resources. A Job is immutable: delete it before applying a new image."""
    containers = [{"name": f"migrate-{service.name}", "image": IMAGE, "command": migrate_command(service.name),
                   "env": _database_env(service.name),
                   "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                       "capabilities": {"drop": ["ALL"]}}}
                  for service in manifest.services]
    labels = {"app.kubernetes.io/name": "migrations", DATABASE_CLIENT: "true"}
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": _meta("migrations", {"app.kubernetes.io/name": "migrations"}),
            "spec": {"backoffLimit": 10, "template": {"metadata": {"labels": {**PART_OF, **labels}}, "spec": {
                "restartPolicy": "OnFailure", "automountServiceAccountToken": False,
                "securityContext": _pod_security(), "containers": containers}}}}


def _kustomization(files: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    # Only features Debian's kubectl 1.20 (kustomize 2) renders too.
    return {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "namespace": NAMESPACE,
            "resources": list(files), "images": [{"name": IMAGE, "newTag": "latest"}]}
