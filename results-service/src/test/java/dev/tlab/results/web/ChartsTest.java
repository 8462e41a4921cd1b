package dev.tlab.results.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.contracts.EpochSelection;
import dev.tlab.contracts.SelectedEpoch;
import dev.tlab.contracts.api.Views;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.results.domain.ResultsStore;
import dev.tlab.results.testdata.Script;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Qute templates of the page and the charts, rendered inside Quarkus (checked templates need the engine Quarkus
 * builds); the data come from a store filled in memory, so no message is needed.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ChartsTest {
    private final Script script = new Script(UUID.randomUUID(), Instant.parse("2026-03-01T10:00:00Z"));

    private Views.Experiment experiment(boolean synthetic) {
        ResultsStore store = new ResultsStore();
        String[] strategies = {"freeze", "partial", "full"};
        double[] accuracies = {0.7712, 0.8431, 0.8120};
        for (int i = 0; i < 3; i++) {
            store.apply(script.job(strategies[i], 0));
            store.apply(script.started(strategies[i], 0, 1, 1, 3, synthetic ? "synthetic" : "cifar-10", synthetic));
            for (int e = 1; e <= 3; e++) {
                store.apply(script.epoch(strategies[i], 0, 1, e, 3, 2.0 / e, 0.3 * e));
            }
            store.apply(script.completed(strategies[i], 0, 1, accuracies[i], 3));
        }
        store.apply(script.job("layer3-up", 0));
        store.apply(script.started("layer3-up", 0, 1, 1, 3, "synthetic", synthetic));
        store.apply(script.epoch("layer3-up", 0, 1, 1, 3, 1.1, 0.4));
        return store.find(script.experimentId()).orElseThrow();
    }

    private static String bar(Views.Experiment experiment) {
        return Pages.Templates.bar(BarChart.of(experiment)).render();
    }

    private static String curves(Views.Experiment experiment) {
        return Pages.Templates.curves(CurvesChart.of(experiment)).render();
    }

    private static String page(Views.Experiment experiment) {
        return Pages.Templates.experiment(ExperimentPanel.of(experiment)).render();
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void barChartHasOneBarPerFinishedStrategyWithItsValueAbove() throws Exception {
        String svg = bar(experiment(false));
        Document doc = parse(svg);
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertTrue(svg.contains(">Transfer Learning Strategy Comparison</text>"));
        assertTrue(svg.contains(">Test Accuracy (%)</text>"));
        assertTrue(svg.contains("rotate(-90"));
        NodeList rects = doc.getElementsByTagName("rect");
        int bars = 0;
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            if ("bar".equals(rect.getAttribute("class"))) {
                bars++;
                order.append(rect.getAttribute("data-strategy")).append(' ');
                assertTrue(Double.parseDouble(rect.getAttribute("height")) > 0);
            }
        }
        assertEquals(3, bars, "the running strategy has no bar yet");
        assertEquals("freeze partial full ", order.toString(), "notebook order");
        assertTrue(svg.contains(">77.12%</text>"));
        assertTrue(svg.contains(">84.31%</text>"));
        assertTrue(svg.contains(">81.20%</text>"));
        assertTrue(svg.contains("fill=\"#3498db\"")
                && svg.contains("fill=\"#2ecc71\"")
                && svg.contains("fill=\"#e74c3c\""));
        assertFalse(
                svg.contains("http://")
                        && svg.replace("http://www.w3.org/2000/svg", "").contains("http://"),
                "no external reference");
        assertFalse(svg.contains("SYNTHETIC"));
    }

    @Test
    void tallestBarReachesOneOverOnePointOneFiveOfTheAxis() throws Exception {
        Document doc = parse(bar(experiment(false)));
        NodeList rects = doc.getElementsByTagName("rect");
        double tallest = 0;
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            if ("bar".equals(rect.getAttribute("class"))) {
                tallest = Math.max(tallest, Double.parseDouble(rect.getAttribute("height")));
            }
        }
        double plotHeight = 480 - 70 - 80;
        assertEquals(plotHeight / 1.15, tallest, 0.1);
    }

    @Test
    void syntheticDataIsNamedOnTheChart() {
        assertTrue(bar(experiment(true)).contains("SYNTHETIC DATA"));
        assertTrue(page(experiment(true)).contains("id=\"synthetic-banner\""));
        assertFalse(page(experiment(false)).contains("id=\"synthetic-banner\""));
    }

    @Test
    void emptyChartSaysSo() throws Exception {
        ResultsStore store = new ResultsStore();
        store.apply(script.job("full", 0));
        store.apply(script.started("full", 0, 1, 1, 3, "cifar-10", false));
        String svg = bar(store.find(script.experimentId()).orElseThrow());
        parse(svg);
        assertTrue(svg.contains("No strategy has finished yet"));
    }

    @Test
    void curvesHaveOneLinePerJobInBothPanels() throws Exception {
        String svg = curves(experiment(false));
        Document doc = parse(svg);
        NodeList lines = doc.getElementsByTagName("polyline");
        assertEquals(8, lines.getLength(), "4 jobs x (loss, accuracy)");
        Element first = (Element) lines.item(0);
        assertEquals(3, first.getAttribute("points").split(" ").length);
        assertTrue(svg.contains("Loss per epoch") && svg.contains("Train accuracy (%) per epoch"));
    }

    @Test
    void everyPanelFitsInsideTheChart() throws Exception {
        for (String svg : new String[] {curves(experiment(false)), bar(experiment(false))}) {
            Element root = parse(svg).getDocumentElement();
            double width = Double.parseDouble(root.getAttribute("width"));
            NodeList rects = root.getElementsByTagName("rect");
            for (int i = 0; i < rects.getLength(); i++) {
                Element rect = (Element) rects.item(i);
                double right =
                        Double.parseDouble(rect.getAttribute("x")) + Double.parseDouble(rect.getAttribute("width"));
                assertTrue(right <= width, "a rect ends at " + right + " beyond the chart's width " + width);
            }
        }
    }

    @Test
    void pageIsSelfContainedAndListensToServerSentEvents() {
        String html = page(experiment(false));
        assertTrue(html.contains("<svg"));
        assertTrue(html.contains("data-events=\"/experiments/" + script.experimentId() + "/events\""));
        assertTrue(html.contains("new EventSource(live.getAttribute('data-events'))"));
        assertFalse(
                html.contains("setTimeout") || html.contains("setInterval") || html.contains("fetch("),
                "the page does not poll");
        assertFalse(html.contains("<script src"), "no external scripts");
        assertFalse(html.contains("<link"), "no external stylesheets");
        assertTrue(html.contains("Best strategy: <strong>partial</strong>"));
        assertTrue(html.contains("<td class=\"num\">84.31%</td>"), "the leaderboard's accuracy: " + html);
    }

    /** Dataset names and failure reasons come from messages: the page and the SVG must escape them. */
    @Test
    void textFromMessagesIsEscapedInThePageAndTheSvg() throws Exception {
        ResultsStore store = new ResultsStore();
        String hostile = "<script>alert('x')</script>&\"";
        store.apply(script.job("full", 0, 1, "m-hostile", hostile, true, 1));
        store.apply(script.started("full", 0, 1, 1, 1, hostile, true));
        store.apply(script.epoch("full", 0, 1, 1, 1, 1.0, 0.5));
        store.apply(script.completed("full", 0, 1, 0.5, 1));
        store.apply(script.job("partial", 0));
        store.apply(script.failed("partial", 0, 1, hostile, null, List.of()));
        Views.Experiment experiment = store.find(script.experimentId()).orElseThrow();
        String svg = bar(experiment);
        assertFalse(svg.contains("<script>"), svg);
        assertTrue(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"), svg);
        parse(svg);
        String html = Pages.panel(experiment);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("failed: &lt;script&gt;alert("), html);
    }

    /**
     * Epoch selection on the curves and the page: each validated job's validation curves (dotted) and the ring on the
     * epoch it was tested on, with its reason escaped; none of it for jobs without validation.
     */
    @Test
    void validationCurvesAndTheTestedEpochAreDrawnOnlyWhenPresent() throws Exception {
        String plain = curves(experiment(false));
        assertFalse(plain.contains("validation") || plain.contains("selected-epoch") || plain.contains("2 3"), plain);
        assertFalse(page(experiment(false)).contains("tested on epoch"));

        ResultsStore store = new ResultsStore();
        script.selectingEpochs(new EpochSelection(EpochSelection.VAL_ACCURACY, 1));
        store.apply(script.job("partial", 0, 1, "m-1", "images", false, 4));
        store.apply(script.job("freeze", 0, 1, "m-1", "images", false, 4));
        double[] valAccuracy = {0.70, 0.80, 0.75};
        for (int e = 1; e <= 3; e++) {
            store.apply(script.epoch(
                    "partial", 0, 1, e, 4, 1.0 / e, 0.3 * e, 1.1 - valAccuracy[e - 1], valAccuracy[e - 1]));
            store.apply(script.epoch("freeze", 0, 1, e, 4, 2.0 / e, 0.2 * e));
        }
        String hostile = "<script>alert('x')</script>";
        store.apply(script.completed(
                "partial",
                0,
                1,
                0.81,
                new SelectedEpoch(2, 3, EpochSelection.VAL_ACCURACY, 0.80, true, "highest " + hostile)));
        Views.Experiment experiment = store.find(script.experimentId()).orElseThrow();

        String svg = curves(experiment);
        Document doc = parse(svg);
        assertEquals(2, byClass(doc, "polyline", "curve validation"), "partial's validation loss and accuracy");
        assertEquals(4, byClass(doc, "polyline", "curve"), "both jobs' training curves, unchanged");
        assertEquals(2, byClass(doc, "circle", "selected-epoch"), "a ring on epoch 2 in each panel");
        assertTrue(svg.contains("stroke-dasharray=\"2 3\""), "validation is dotted");
        assertTrue(svg.contains(">validation</text>") && svg.contains(">epoch tested (best on validation)</text>"));
        assertFalse(svg.contains("<script>"), svg);
        assertTrue(svg.contains("tested on epoch 2 of 3, stopped early: highest &lt;script&gt;"), svg);

        String html = Pages.panel(experiment);
        assertTrue(html.contains("<span class=\"selected-epoch\">tested on epoch 2 of 3, stopped early</span>"), html);
        assertTrue(html.contains("<small class=\"selection-reason\">highest &lt;script&gt;alert("), html);
        assertFalse(html.contains("<script>alert"), html);
        assertTrue(
                html.contains("<span class=\"selection\">tested on the best epoch by <code>valAccuracy</code> on the"
                        + " validation split, patience 1</span>"),
                html);
    }

    private static int byClass(Document doc, String tag, String cssClass) {
        NodeList nodes = doc.getElementsByTagName(tag);
        int count = 0;
        for (int i = 0; i < nodes.getLength(); i++) {
            if (cssClass.equals(((Element) nodes.item(i)).getAttribute("class"))) {
                count++;
            }
        }
        return count;
    }
}
