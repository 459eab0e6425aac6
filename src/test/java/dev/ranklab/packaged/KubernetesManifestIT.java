package dev.ranklab.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ranklab.support.ItFixture;

/**
 * The Kubernetes manifests the build generates (target/kubernetes/kubernetes.json), checked for what the deployment
 * relies on: stateless web replicas that queue trainings, one trainer that runs them and is never doubled, both on
 * the external database from the secret and one shared data volume, with health probes, and a Service in front of
 * the web replicas only. No cluster is reachable here, so this is as far as it can be tested.
 */
class KubernetesManifestIT {

    private static Map<String, JsonNode> byName() throws Exception {
        JsonNode items = ItFixture.JSON.readTree(Files.readString(Path.of("target", "kubernetes", "kubernetes.json")));
        Map<String, JsonNode> resources = new HashMap<>();
        for (JsonNode item : items) {
            resources.put(item.get("kind").asText() + "/" + item.at("/metadata/name").asText(), item);
        }
        return resources;
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode variable : container.path("env")) {
            if (name.equals(variable.get("name").asText())) {
                return variable.path("value").asText();
            }
        }
        return null;
    }

    private static void checkPod(JsonNode deployment) {
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertEquals("ranklab", container.at("/envFrom/0/secretRef/name").asText(), "database settings come from "
                + "the secret");
        assertEquals("/data", env(container, "RANKLAB_DATA_DIR"));
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        Set<String> volumes = new HashSet<>();
        for (JsonNode volume : pod.path("volumes")) {
            assertTrue(volumes.add(volume.get("name").asText()), "volume " + volume.get("name") + " twice");
        }
        assertEquals(Set.of("data"), volumes);
        assertEquals("ranklab-data", pod.at("/volumes/0/persistentVolumeClaim/claimName").asText());
        assertEquals("/data", container.at("/volumeMounts/0/mountPath").asText());
    }

    @Test
    void webReplicasAndASingleTrainerShareTheDatabaseAndTheDataVolume() throws Exception {
        Map<String, JsonNode> resources = byName();
        assertEquals(Set.of("PersistentVolumeClaim/ranklab-data", "Service/ranklab", "Deployment/ranklab",
                "Deployment/ranklab-trainer"), resources.keySet());

        JsonNode web = resources.get("Deployment/ranklab");
        assertTrue(web.at("/spec/replicas").asInt() >= 2, "web replicas");
        assertEquals("false", env(web.at("/spec/template/spec/containers/0"), "RANKLAB_REWARD_MODEL_TRAINER"));
        checkPod(web);

        JsonNode trainer = resources.get("Deployment/ranklab-trainer");
        assertEquals(1, trainer.at("/spec/replicas").asInt());
        assertEquals("Recreate", trainer.at("/spec/strategy/type").asText(), "an update must not run two trainers");
        assertEquals("true", env(trainer.at("/spec/template/spec/containers/0"), "RANKLAB_REWARD_MODEL_TRAINER"));
        checkPod(trainer);

        assertEquals("ReadWriteMany", resources.get("PersistentVolumeClaim/ranklab-data").at("/spec/accessModes/0")
                .asText(), "every pod mounts the data volume");
        JsonNode selector = resources.get("Service/ranklab").at("/spec/selector");
        assertEquals("ranklab", selector.get("app.kubernetes.io/name").asText(), "traffic goes to the web replicas");
        assertEquals(8080, resources.get("Service/ranklab").at("/spec/ports/0/targetPort").asInt());
    }
}
