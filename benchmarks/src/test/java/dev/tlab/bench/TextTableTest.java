package dev.tlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void numbersGetAPrecisionByMagnitudeAndMissingValuesADash() {
        assertEquals("1234", TextTable.cell(1234.4));
        assertEquals("17.1", TextTable.cell(17.06));
        assertEquals("8.15", TextTable.cell(8.149));
        assertEquals("0.840", TextTable.cell(0.8404));
        assertEquals("-", TextTable.cell(Double.NaN));
        assertEquals("-", TextTable.cell(null));
        assertEquals("64", TextTable.cell(64));
        assertEquals("full", TextTable.cell("full"));
    }

    @Test
    void columnsArePaddedAndNumbersRightAligned() {
        String text = new TextTable("pass", "img/s")
                .row("train", 17.06)
                .row("eval", 1033.0)
                .render();
        assertEquals(
                List.of("pass   img/s", "-----  -----", "train   17.1", "eval    1033"),
                text.lines().toList());
    }

    @Test
    void markdownHasAHeaderSeparator() {
        String md = new TextTable("a", "b").row("x", 1.5).markdown();
        assertEquals(
                List.of("| a | b |", "| --- | --- |", "| x | 1.50 |"),
                md.lines().toList());
    }

    @Test
    void aRowMustMatchTheHeader() {
        assertThrows(IllegalArgumentException.class, () -> new TextTable("a", "b").row("only one"));
    }
}
