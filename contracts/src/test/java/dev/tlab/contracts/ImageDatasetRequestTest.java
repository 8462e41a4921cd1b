package dev.tlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The request's image dataset: its one source field, split, reject policy and the subset rules around it. */
class ImageDatasetRequestTest {
    private static final String SHA = "ab".repeat(32);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"dataset": {"name": "images"}}                                                  | dataset.source          | is required
            {"dataset": {"name": "images", "source": {}}}                                    | dataset.source          | exactly one of
            {"dataset": {"name": "images", "source": {"location": "a", "upload": "%s"}}}     | dataset.source          | exactly one of
            {"dataset": {"name": "images", "source": {"location": " "}}}                     | dataset.source.location | must not be blank
            {"dataset": {"name": "images", "source": {"url": "http://example.org/a.zip", "sha256": "%s"}}} | dataset.source.url | must be an https URL
            {"dataset": {"name": "images", "source": {"url": "https://example.org/a.zip"}}}  | dataset.source.sha256   | is required with dataset.source.url
            {"dataset": {"name": "images", "source": {"location": "a", "sha256": "%s"}}}     | dataset.source.sha256   | belongs to dataset.source.url
            {"dataset": {"name": "images", "source": {"upload": "ABC"}}}                     | dataset.source.upload   | 64 lower-case
            {"dataset": {"name": "images", "source": {"location": "a", "path": "b"}}}        | dataset.source.path     | unknown field
            {"dataset": {"name": "images", "source": {"location": "a"}, "split": {"val": 1.0}}} | dataset.split.val     | in [0, 1)
            {"dataset": {"name": "images", "source": {"location": "a"}, "split": {"test": -0.1}}} | dataset.split.test  | in [0, 1)
            {"dataset": {"name": "images", "source": {"location": "a"}, "split": {"val": 0.5, "test": 0.5}}} | dataset.split | leave images to train on
            {"dataset": {"name": "images", "source": {"location": "a"}, "rejects": "maybe"}} | dataset.rejects        | must be 'skip' or 'fail'
            {"dataset": {"name": "images", "location": "a", "source": {"location": "a"}}}   | dataset.location        | dataset.source
            {"dataset": {"name": "cifar10", "source": {"location": "a"}}}                   | dataset.source          | only for dataset images
            {"dataset": {"name": "synthetic", "split": {"val": 0.1}}}                        | dataset.split           | only for dataset images
            {"dataset": {"name": "cifar10", "rejects": "fail"}}                              | dataset.rejects         | only for dataset images
            {"subset": {"name": "all", "samplesPerClass": 10}}                               | subset.samplesPerClass  | not used by subset 'all'
            """)
    void badImageRequestsNameTheField(String template, String field, String reason) {
        String json = template.replace("%s", SHA);
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> Requests.submission(json));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
    }

    @Test
    void everyImageIsTheDefaultSubsetOfImagesAndRefusedForCifar() {
        ExperimentRequested images = Requests.submission(
                        "{\"dataset\": {\"name\": \"images\", \"source\": {\"location\": \"pets\"}}}")
                .toEvent();
        assertEquals(SubsetPolicy.all(), images.subset());
        assertEquals(DatasetSplit.defaults(), images.dataset().split());
        assertEquals(new DatasetSplit(0.1, 0.2, 0L), images.dataset().split());
        assertEquals("skip", images.dataset().rejects());
        assertEquals(
                SubsetPolicy.notebook(), Requests.submission("{}").toEvent().subset());
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> Requests.submission("{\"subset\": {\"name\": \"all\"}}").toEvent());
        assertEquals("subset.name", e.field());
    }

    @Test
    void cifarRequestsKeepTheirWireFormat() {
        String json = EventCodec.toJson(Samples.experimentRequested());
        assertFalse(json.contains("\"source\""), json);
        assertFalse(json.contains("\"split\""), json);
        assertFalse(json.contains("\"rejects\""), json);
        assertFalse(EventCodec.toJson(new PlanRequest(null, null, null, null)).contains("numClasses"));
    }

    @Test
    void aPlanNamesItsClassCount() {
        InvalidFieldException e =
                assertThrows(InvalidFieldException.class, () -> new PlanRequest(null, null, null, null, 1));
        assertEquals("numClasses", e.field());
        assertEquals(3, Requests.read("{\"numClasses\": 3}", PlanRequest.class).numClasses());
        assertEquals(
                7, PlanRequest.of(Samples.experimentRequested(), 7).numClasses().intValue());
    }

    @Test
    void aManifestOfImagesIsVersionTwoAndOnlyThat() {
        ObjectNode images = EventCodec.mapper().valueToTree(Samples.datasetManifestImages());
        images.put("schemaVersion", 1);
        MalformedEventException e = assertThrows(
                MalformedEventException.class, () -> EventCodec.fromJson(images.toString(), DatasetManifest.class));
        assertEquals("images", e.field());
        ObjectNode cifar = EventCodec.mapper().valueToTree(Samples.datasetManifest());
        cifar.put("schemaVersion", 2);
        assertThrows(MalformedEventException.class, () -> EventCodec.fromJson(cifar.toString(), DatasetManifest.class));
        ObjectNode noUrl = EventCodec.mapper().valueToTree(Samples.datasetManifest());
        noUrl.putNull("trainDataUrl");
        e = assertThrows(
                MalformedEventException.class, () -> EventCodec.fromJson(noUrl.toString(), DatasetManifest.class));
        assertEquals("trainDataUrl", e.field());
        DatasetManifest manifest = Samples.datasetManifestImages();
        assertEquals(21, manifest.subsetSize());
        assertEquals(List.of("cat", "dog", "zebra"), manifest.classNames());
        assertEquals(6, manifest.images().splitNamed("test").images());
    }
}
