package dev.tlab.results.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.datafiles.CalibrationBins;
import dev.tlab.kafka.test.KafkaBrokerResource;
import dev.tlab.results.comparison.Calibration;
import dev.tlab.results.comparison.ConfusionMatrix;
import dev.tlab.results.comparison.CostComparison;
import dev.tlab.results.comparison.CostComparison.RunCost;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The comparison charts' Qute templates rendered inside Quarkus (checked templates need the engine Quarkus builds):
 * well formed SVG, what the geometry says, and class or strategy names from messages as text, never as markup.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ComparisonChartsTest {
    private static final String HOSTILE = "<script>alert('x')</script>&\"";
    private static final String ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;";

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> withClass(Document doc, String tag, String cssClass) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<Element> found = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (cssClass.equals(e.getAttribute("class"))) {
                found.add(e);
            }
        }
        return found;
    }

    @Test
    void heatmapDrawsEveryCellWithItsCountAndShade() throws Exception {
        String svg = ComparisonCharts.heatmap(ConfusionHeatmap.of(
                "full", ConfusionMatrix.of(List.of("cat", "dog"), new long[][] {{3, 1}, {0, 4}})));
        Document doc = parse(svg);
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        List<Element> cells = withClass(doc, "rect", "cell");
        assertEquals(3, cells.size(), "the empty pair (dog predicted as cat) is left white");
        assertEquals("1", cells.get(1).getAttribute("data-count"));
        assertEquals("0.250", cells.get(1).getAttribute("fill-opacity"));
        assertEquals("1.000", cells.get(2).getAttribute("fill-opacity"));
        assertEquals(1, withClass(doc, "path", "grid").size());
        assertEquals(
                List.of("3", "1", "0", "4"),
                withClass(doc, "text", "count").stream()
                        .map(Element::getTextContent)
                        .toList());
        assertTrue(svg.contains("<title>true cat, predicted dog: 1 (25.0% of the row)</title>"), svg);
        assertFalse(svg.replace("http://www.w3.org/2000/svg", "").contains("http"), "no external reference");
    }

    @Test
    void fiftyClassesRenderWithoutCountsInTheCells() throws Exception {
        Document doc =
                parse(ComparisonCharts.heatmap(ConfusionHeatmap.of("full", ComparisonChartGeometryTest.matrix(50))));
        assertEquals(100, withClass(doc, "rect", "cell").size(), "the 100 non-empty pairs of 2,500");
        assertTrue(withClass(doc, "text", "count").isEmpty());
        assertEquals(50, withClass(doc, "text", "predicted-label").size());
        assertEquals("12.0", withClass(doc, "rect", "cell").get(0).getAttribute("width"));
    }

    /** A class named {@code <script>} and a strategy named likewise come out as text in every chart. */
    @Test
    void namesFromMessagesAreEscaped() throws Exception {
        String heatmap = ComparisonCharts.heatmap(ConfusionHeatmap.of(
                HOSTILE, ConfusionMatrix.of(List.of(HOSTILE, "dog"), new long[][] {{1, 0}, {0, 1}})));
        CalibrationBins bins = new CalibrationBins();
        bins.add(0.9, true);
        String reliability = ComparisonCharts.reliability(ReliabilityDiagram.of(HOSTILE, Calibration.of(bins)));
        String cost = ComparisonCharts.cost(AccuracyCostChart.of(
                CostComparison.of(List.of(
                        new RunCost(HOSTILE, 0, HOSTILE, 32, 10, 100, 1, 100, null, 0.5),
                        new RunCost("full", 0, "cpu()", 32, 20, 100, 1, 100, null, 0.6))),
                List.of(HOSTILE, "full")));
        for (String svg : List.of(heatmap, reliability, cost)) {
            assertFalse(svg.contains("<script>"), svg);
            assertTrue(svg.contains(ESCAPED), svg);
            Document doc = parse(svg);
            assertTrue(doc.getElementsByTagName("script").getLength() == 0);
        }
        Document doc = parse(heatmap);
        Element label = withClass(doc, "text", "true-label").get(0);
        assertTrue(
                label.getTextContent().contains("<script>alert"),
                "the name is the label's text: " + label.getTextContent());
    }

    @Test
    void reliabilityAndCostChartsRender() throws Exception {
        CalibrationBins bins = new CalibrationBins();
        double[] confidences = {0.95, 0.95, 0.92, 0.40, 0.45, 1.0, 0.60, 0.10};
        boolean[] correct = {true, false, true, true, false, true, false, false};
        for (int i = 0; i < confidences.length; i++) {
            bins.add(confidences[i], correct[i]);
        }
        String reliability = ComparisonCharts.reliability(ReliabilityDiagram.of("full", Calibration.of(bins)));
        Document doc = parse(reliability);
        assertEquals(5, withClass(doc, "rect", "accuracy").size());
        assertEquals(5, withClass(doc, "rect", "gap").size());
        assertEquals(1, withClass(doc, "line", "diagonal").size());
        assertTrue(reliability.contains(">Reliability: full, ECE 22.87%</text>"), reliability);
        assertTrue(reliability.contains("1 of 8 predictions at confidence 1.0"), reliability);
        assertTrue(parse(ComparisonCharts.reliability(
                        ReliabilityDiagram.of("full", Calibration.of(new CalibrationBins()))))
                .getDocumentElement()
                .getTextContent()
                .contains("No predictions to calibrate"));

        String cost = ComparisonCharts.cost(AccuracyCostChart.of(
                CostComparison.of(List.of(
                        new RunCost("freeze", 0, "cpu()", 32, 10, 3_000, 4, 2_000, null, 0.80),
                        new RunCost("full", 0, "cpu()", 32, 40, 3_000, 5, 2_000, null, 0.86))),
                List.of("freeze", "partial", "full")));
        Document costDoc = parse(cost);
        List<Element> points = withClass(costDoc, "circle", "point");
        assertEquals(
                List.of("freeze", "full"),
                points.stream().map(p -> p.getAttribute("data-strategy")).toList());
        assertEquals("#e74c3c", points.get(1).getAttribute("fill"), "full keeps its colour of the bar chart");
        assertEquals(1, withClass(costDoc, "line", "link").size());
        assertTrue(cost.contains("points per device-hour"), cost);
    }
}
