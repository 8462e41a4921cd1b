package dev.tlab.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Kubernetes base deploy/k8s as `kubectl kustomize` renders it, as typed fabric8 objects (core, apps and networking
 * kinds, at the apiVersions a current cluster serves) or {@link GenericKubernetesResource}s (Strimzi, KEDA and
 * prometheus-operator custom resources, whose schemas {@link SchemaCheck} checks).
 */
final class Manifests {

    /** Kinds with a typed model here; every other kind must be one of {@link #CUSTOM_KINDS}. */
    static final Map<String, Class<? extends HasMetadata>> TYPED = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "rbac.authorization.k8s.io/v1/Role", Role.class,
            "rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class);

    static final List<String> CUSTOM_KINDS = List.of(
            "kafka.strimzi.io/v1/Kafka",
            "kafka.strimzi.io/v1/KafkaNodePool",
            "kafka.strimzi.io/v1/KafkaTopic",
            "kafka.strimzi.io/v1/KafkaUser",
            "keda.sh/v1alpha1/ScaledObject",
            "keda.sh/v1alpha1/TriggerAuthentication",
            "monitoring.coreos.com/v1/ServiceMonitor",
            "monitoring.coreos.com/v1/PodMonitor");

    private static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    record Loaded(JsonNode document, HasMetadata resource) {}

    private final List<Loaded> all;

    private Manifests(List<Loaded> all) {
        this.all = all;
    }

    /** The rendered base (kubectl kustomize deploy/k8s). */
    static Manifests load() {
        List<Loaded> all = new ArrayList<>();
        for (JsonNode doc : Kustomize.base()) {
            all.add(new Loaded(doc, toResource(doc)));
        }
        return new Manifests(all);
    }

    static HasMetadata toResource(JsonNode doc) {
        String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        try {
            Class<? extends HasMetadata> type = TYPED.get(key);
            if (type != null) {
                HasMetadata typed = MAPPER.treeToValue(doc, type);
                assertNoUnknownFields(typed, key + " " + typed.getMetadata().getName());
                return typed;
            }
            if (CUSTOM_KINDS.contains(key)) {
                return MAPPER.treeToValue(doc, GenericKubernetesResource.class);
            }
        } catch (Exception e) {
            throw new AssertionError(
                    key + " " + doc.path("metadata").path("name").asText() + " does not parse: " + e.getMessage(), e);
        }
        throw new AssertionError("unexpected kind " + key + " (no fabric8 model, no upstream schema known here)");
    }

    /**
     * fabric8's model keeps fields it does not know in "additionalProperties" instead of failing: a typo such as
     * "readinesProbe" would parse silently. Walk the object tree and fail on any such leftover.
     */
    static void assertNoUnknownFields(Object node, String path) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                assertNoUnknownFields(item, path + "[" + i++ + "]");
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertNoUnknownFields(e.getValue(), path + "." + e.getKey());
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method method : node.getClass().getMethods()) {
            if (method.getParameterCount() != 0
                    || Modifier.isStatic(method.getModifiers())
                    || !method.getName().startsWith("get")
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = method.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (method.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    throw new AssertionError("unknown field(s) " + extra.keySet() + " at " + path);
                }
                continue;
            }
            String field = Character.toLowerCase(method.getName().charAt(3))
                    + method.getName().substring(4);
            assertNoUnknownFields(value, path + "." + field);
        }
    }

    List<Loaded> all() {
        return all;
    }

    <T extends HasMetadata> List<T> of(Class<T> type) {
        return all.stream()
                .map(Loaded::resource)
                .filter(type::isInstance)
                .map(type::cast)
                .collect(Collectors.toList());
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return of(type).stream()
                .filter(r -> r.getMetadata().getName().equals(name))
                .findFirst();
    }

    List<GenericKubernetesResource> custom(String kind) {
        return of(GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals(kind))
                .collect(Collectors.toList());
    }

    GenericKubernetesResource single(String kind) {
        List<GenericKubernetesResource> found = custom(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }
}
