package dev.tlab.results.web;

import java.time.Instant;

/**
 * What {@code templates/Pages/report.html} draws: the experiment's panel (every table and chart of its page, SVG
 * inline, the comparison included) as one standalone HTML file, and where and when it was made. The file needs no
 * network to be read; its links (a model's download, the JSON) lead to {@code serviceUrl}, for readers who can reach
 * it.
 */
public record ExperimentReport(ExperimentPanel panel, String serviceUrl, Instant generatedAt) {}
