package dev.tlab.cli.view;

import dev.tlab.contracts.ImageManifest;
import dev.tlab.contracts.api.UploadedDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What {@code ./lab dataset upload} prints of the dataset service's {@code POST /datasets} (and GET) answer. */
public final class UploadedDatasetSummary {
    private UploadedDatasetSummary() {}

    public static String render(UploadedDataset dataset) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "dataset %s: %,d bytes (%s), %s%n",
                dataset.id(),
                dataset.bytes(),
                dataset.kind(),
                dataset.created() ? "stored" : "the same bytes were stored already"));
        out.append(String.format(Locale.ROOT, "  layout    %s%n", dataset.layout()));
        out.append(String.format(
                Locale.ROOT,
                "  classes   %d (by label): %s%n",
                dataset.classes().size(),
                String.join(", ", dataset.classes())));
        for (UploadedDataset.SplitCounts split : dataset.splits()) {
            List<String> counts = new ArrayList<>();
            for (int c = 0; c < dataset.classes().size() && c < split.perClass().size(); c++) {
                counts.add(dataset.classes().get(c) + " " + split.perClass().get(c));
            }
            out.append(String.format(Locale.ROOT, "  %-9s %s%n", split.name(), String.join(", ", counts)));
        }
        out.append(String.format(
                Locale.ROOT, "  images    %d usable, %d rejected%n", dataset.images(), dataset.rejectCount()));
        for (ImageManifest.RejectedFile reject : dataset.rejects()) {
            out.append(String.format(
                    Locale.ROOT,
                    "    rejected %s: %s%s%n",
                    reject.path(),
                    reject.reason(),
                    reject.detail() == null ? "" : " (" + reject.detail() + ")"));
        }
        if (dataset.rejectCount() > dataset.rejects().size()) {
            out.append(String.format(
                    Locale.ROOT,
                    "    ... and %d more%n",
                    dataset.rejectCount() - dataset.rejects().size()));
        }
        if (dataset.ignored() != null) {
            for (ImageManifest.IgnoredFiles ignored : dataset.ignored()) {
                out.append(String.format(
                        Locale.ROOT,
                        "  ignored   %d %s%s%n",
                        ignored.count(),
                        ignored.reason(),
                        ignored.examples().isEmpty() ? "" : " (e.g. " + String.join(", ", ignored.examples()) + ")"));
            }
        }
        out.append(String.format(
                Locale.ROOT,
                "use it: \"dataset\": {\"name\": \"images\", \"source\": {\"upload\": \"%s\"}}%n",
                dataset.id()));
        return out.toString();
    }
}
