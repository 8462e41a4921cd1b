package dev.tlab.dataset.subset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.InvalidFieldException;
import dev.tlab.contracts.SubsetPolicy;
import dev.tlab.dataset.source.CifarDataset;
import dev.tlab.dataset.source.CifarReader;
import dev.tlab.dataset.testing.TestArchives;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubsetSelectorTest {
    @TempDir
    static Path tmp;

    static CifarDataset dataset;

    @BeforeAll
    static void generate() {
        dataset = CifarReader.open(TestArchives.folder(tmp, 40, 5, 7), "synthetic", true, null);
    }

    /** The notebook's loop, transcribed as plainly as possible (the dict of counts, the break at 10 * N). */
    static List<Integer> notebookLoop(byte[] labels, int n) {
        List<Integer> selected = new ArrayList<>();
        Map<Integer, Integer> classCounts = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            classCounts.put(i, 0);
        }
        for (int idx = 0; idx < labels.length; idx++) {
            int label = labels[idx];
            if (classCounts.get(label) < n) {
                selected.add(idx);
                classCounts.put(label, classCounts.get(label) + 1);
            }
            if (selected.size() >= 10 * n) {
                break;
            }
        }
        return selected;
    }

    @Test
    void firstPerClassIsTheNotebookLoop() {
        for (int n : new int[] {1, 5, 17, 40}) {
            List<Integer> expected = notebookLoop(dataset.trainLabels(), n);
            List<Integer> actual = SubsetSelector.select(
                    dataset.trainLabels(), 10, new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, n, 0L));
            assertEquals(expected, actual, "n=" + n);
            assertEquals(
                    List.of(n, n, n, n, n, n, n, n, n, n),
                    SubsetSelector.countSelected(dataset.trainLabels(), 10, actual));
        }
    }

    @Test
    void firstPerClassStopsWhenEveryClassIsFull() {
        List<Integer> chosen = SubsetSelector.firstPerClass(dataset.trainLabels(), 10, 5);
        int last = chosen.get(chosen.size() - 1);
        // the last index completes its class, and before it that class had 4
        int label = dataset.label(last);
        long before = chosen.stream()
                .filter(i -> i < last && dataset.label(i) == label)
                .count();
        assertEquals(4, before);
        // indices are strictly increasing (dataset order)
        for (int i = 1; i < chosen.size(); i++) {
            assertTrue(chosen.get(i) > chosen.get(i - 1));
        }
    }

    @Test
    void stratifiedRandomIsSeededAndBalanced() {
        SubsetPolicy policy = new SubsetPolicy(SubsetPolicy.STRATIFIED_RANDOM, 12, 42L);
        List<Integer> a = SubsetSelector.select(dataset.trainLabels(), 10, policy);
        List<Integer> b = SubsetSelector.select(dataset.trainLabels(), 10, policy);
        List<Integer> other = SubsetSelector.select(
                dataset.trainLabels(), 10, new SubsetPolicy(SubsetPolicy.STRATIFIED_RANDOM, 12, 43L));
        assertEquals(a, b);
        assertNotEquals(a, other);
        assertEquals(120, new HashSet<>(a).size());
        assertEquals(
                List.of(12, 12, 12, 12, 12, 12, 12, 12, 12, 12),
                SubsetSelector.countSelected(dataset.trainLabels(), 10, a));
        assertNotEquals(SubsetSelector.firstPerClass(dataset.trainLabels(), 10, 12), a);
    }

    @Test
    void tooManySamplesPerClassNamesTheField() {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> SubsetSelector.select(
                        dataset.trainLabels(), 10, new SubsetPolicy(SubsetPolicy.FIRST_PER_CLASS, 41, 0L)));
        assertEquals("subset.samplesPerClass", e.field());
        assertTrue(e.reason().contains("between 1 and 40"), e.reason());
    }
}
