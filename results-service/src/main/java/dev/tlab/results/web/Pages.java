package dev.tlab.results.web;

import static dev.tlab.results.web.Svg.esc;

import dev.tlab.results.domain.Views;
import java.util.List;

/**
 * The HTML pages, rendered on the server with the SVG charts inline: no CDN, no external script, no font download.
 * The experiment page polls {@code /experiments/{id}/live} every 2 s and swaps its panel when the version changed.
 */
public final class Pages {
    private static final String STYLE = """
            body{font-family:DejaVu Sans,Arial,Helvetica,sans-serif;margin:24px;color:#222;background:#fafafa}
            h1{font-size:22px;margin:0 0 12px}
            h2{font-size:17px;margin:22px 0 8px}
            table{border-collapse:collapse;background:#fff}
            th,td{border:1px solid #ccc;padding:4px 10px;text-align:left;font-size:14px}
            th{background:#eee}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            .synthetic{background:#c0392b;color:#fff;font-weight:bold;font-size:18px;padding:12px 16px;margin:8px 0 16px;border-radius:4px}
            .best{font-size:16px;margin:8px 0}
            .state-running{color:#d35400;font-weight:bold}
            .state-completed{color:#1e8449;font-weight:bold}
            .state-failed{color:#c0392b;font-weight:bold}
            .state-queued{color:#555}
            .state-retrying{color:#b7950b;font-weight:bold}
            .state-cancelled{color:#7f8c8d;font-weight:bold}
            .cancelled{background:#7f8c8d;color:#fff;font-weight:bold;padding:10px 16px;margin:8px 0 16px;border-radius:4px}
            ol.attempts{margin:0;padding-left:18px}
            .bar-wrap{width:180px;height:14px;background:#ddd;border-radius:3px;display:inline-block;vertical-align:middle}
            .bar-fill{height:14px;background:#3498db;border-radius:3px}
            .muted{color:#666;font-size:13px}
            svg.chart{background:#fff;border:1px solid #ddd;margin:6px 0;max-width:100%;height:auto}
            a{color:#2471a3}
            """;

    private Pages() {
    }

    public static String index(Views.Page<Views.Summary> page) {
        StringBuilder html = head("Transfer-learning experiments", "<meta http-equiv=\"refresh\" content=\"10\">");
        html.append("<h1>Transfer-learning experiments</h1>\n");
        if (page.items().isEmpty()) {
            html.append("<p class=\"muted\">No experiment yet: nothing on <code>training-events</code> or "
                    + "<code>training-jobs</code>. Trigger one on the dataset service.</p>\n");
        } else {
            html.append("<table class=\"experiments\"><thead><tr><th>Experiment</th><th>Created</th><th>State</th>"
                    + "<th>Dataset</th><th>Strategies</th><th>Best strategy</th><th>Test accuracy</th></tr></thead><tbody>\n");
            for (Views.Summary s : page.items()) {
                html.append("<tr><td><a href=\"/experiments/").append(s.experimentId()).append("/view\">")
                        .append(s.experimentId()).append("</a></td><td>").append(esc(String.valueOf(s.createdAt())))
                        .append("</td><td class=\"state-").append(esc(s.state())).append("\">").append(esc(s.state()))
                        .append("</td><td>").append(esc(s.dataset() == null ? "?" : s.dataset()))
                        .append(s.synthetic() ? " <strong>(synthetic)</strong>" : "").append("</td><td class=\"num\">")
                        .append(s.completedStrategies()).append(" / ").append(s.strategies()).append("</td><td>")
                        .append(s.best() == null ? "&ndash;" : esc(s.best().strategy())).append("</td><td class=\"num\">")
                        .append(s.best() == null ? "&ndash;" : Svg.fixed(s.best().testAccuracyPercent(), 2) + "%")
                        .append("</td></tr>\n");
            }
            html.append("</tbody></table>\n<p class=\"muted\">").append(page.total()).append(" experiment(s).</p>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    public static String experiment(Views.Experiment experiment) {
        StringBuilder html = head("Experiment " + experiment.experimentId(), "");
        html.append("<p><a href=\"/\">&larr; all experiments</a></p>\n");
        html.append("<h1>Experiment ").append(experiment.experimentId()).append("</h1>\n");
        html.append("<div id=\"live\" data-version=\"").append(experiment.version()).append("\">\n")
                .append(panel(experiment)).append("</div>\n");
        html.append("<p class=\"muted\" id=\"live-status\">Updates every 2 s while training runs.</p>\n");
        html.append("<script>\n")
                .append("(function(){\n")
                .append("  var url = '/experiments/").append(experiment.experimentId()).append("/live';\n")
                .append("  var live = document.getElementById('live');\n")
                .append("  var status = document.getElementById('live-status');\n")
                .append("  function poll(){\n")
                .append("    fetch(url, {cache: 'no-store'}).then(function(r){ return r.json(); }).then(function(data){\n")
                .append("      if (String(data.version) !== live.getAttribute('data-version')) {\n")
                .append("        live.innerHTML = data.html; live.setAttribute('data-version', String(data.version));\n")
                .append("      }\n")
                .append("      status.textContent = 'Last checked ' + new Date().toLocaleTimeString() + ' (state: ' + data.state + ')';\n")
                .append("    }).catch(function(){ status.textContent = 'Results service unreachable; retrying.'; })\n")
                .append("      .then(function(){ setTimeout(poll, 2000); });\n")
                .append("  }\n")
                .append("  setTimeout(poll, 2000);\n")
                .append("})();\n")
                .append("</script>\n");
        return html.append("</body></html>\n").toString();
    }

    /** The part of the experiment page that changes while training runs. */
    public static String panel(Views.Experiment e) {
        StringBuilder html = new StringBuilder(16384);
        if (e.synthetic()) {
            html.append("<div class=\"synthetic\" id=\"synthetic-banner\">SYNTHETIC DATA: dataset '")
                    .append(esc(e.dataset())).append("' is generated, not CIFAR-10. ")
                    .append("These accuracies say nothing about real images.</div>\n");
        }
        if (e.cancellation() != null) {
            html.append("<div class=\"cancelled\" id=\"cancelled-banner\">CANCELLED at ")
                    .append(esc(String.valueOf(e.cancellation().cancelledAt()))).append(": ")
                    .append(esc(e.cancellation().reason()))
                    .append(". Queued jobs are skipped; a running job stops at its next batch.</div>\n");
        }
        html.append("<p>State: <span class=\"state-").append(esc(e.state())).append("\">").append(esc(e.state()))
                .append("</span> &middot; Dataset: ").append(esc(e.dataset() == null ? "unknown yet" : e.dataset()))
                .append(e.manifestId() == null ? "" : " (manifest " + esc(e.manifestId()) + ")").append("</p>\n");
        if (e.best() != null) {
            html.append("<p class=\"best\" id=\"best\">Best strategy: <strong>").append(esc(e.best().strategy()))
                    .append("</strong> with test accuracy <strong>").append(Svg.fixed(e.best().testAccuracyPercent(), 2))
                    .append("%</strong></p>\n");
        }
        html.append("<h2>Leaderboard</h2>\n");
        html.append("<table class=\"leaderboard\"><thead><tr><th>Rank</th><th>Strategy</th><th>State</th>"
                + "<th>Test accuracy</th><th>95% CI</th><th>Seeds</th><th>Trainable parameters</th>"
                + "<th>Total parameters</th></tr></thead><tbody>\n");
        for (Views.LeaderboardRow row : e.leaderboard().rows()) {
            html.append("<tr><td class=\"num\">").append(row.rank() == null ? "&ndash;" : row.rank()).append("</td><td>")
                    .append(esc(row.strategy())).append("</td><td class=\"state-").append(esc(row.state())).append("\">")
                    .append(esc(row.state())).append("</td><td class=\"num\">")
                    .append(row.testAccuracyPercent() == null ? "&ndash;" : Svg.fixed(row.testAccuracyPercent(), 2) + "%")
                    .append("</td><td class=\"num\">")
                    .append(row.ci95Low() == null ? "&ndash;"
                            : Svg.fixed(row.ci95Low() * 100, 2) + "&ndash;" + Svg.fixed(row.ci95High() * 100, 2) + "%")
                    .append("</td><td class=\"num\">").append(row.seeds()).append("</td><td class=\"num\">")
                    .append(count(row.trainableParameters())).append("</td><td class=\"num\">")
                    .append(count(row.totalParameters())).append("</td></tr>\n");
        }
        html.append("</tbody></table>\n");
        html.append("<h2>Test accuracy per strategy</h2>\n").append(Charts.barChart(e));
        html.append("<p class=\"muted\"><a href=\"/experiments/").append(e.experimentId())
                .append("/chart.svg\">chart.svg</a> &middot; <a href=\"/experiments/").append(e.experimentId())
                .append("/curves.svg\">curves.svg</a> &middot; <a href=\"/experiments/").append(e.experimentId())
                .append("\">JSON</a></p>\n");
        html.append("<h2>Per-epoch loss and train accuracy</h2>\n").append(Charts.curves(e));
        html.append("<h2>Jobs</h2>\n").append(jobs(e.strategies()));
        return html.toString();
    }

    private static String jobs(List<Views.Strategy> strategies) {
        StringBuilder html = new StringBuilder();
        html.append("<table class=\"jobs\"><thead><tr><th>Strategy</th><th>Seed</th><th>Attempt</th><th>State</th>"
                + "<th>Progress</th><th>Last loss</th><th>Last train acc.</th><th>Images/s</th><th>Data wait (s)</th>"
                + "<th>Test accuracy</th><th>Wall time (s)</th><th>Device</th><th>Note</th></tr></thead><tbody>\n");
        for (Views.Strategy s : strategies) {
            for (Views.Run run : s.runs()) {
                Views.Epoch last = run.epochs().isEmpty() ? null : run.epochs().get(run.epochs().size() - 1);
                double progress = run.progress() == null ? 0 : run.progress();
                html.append("<tr><td>").append(esc(s.strategy())).append("</td><td class=\"num\">").append(run.seed())
                        .append("</td><td class=\"num\">").append(run.attempt()).append("</td><td class=\"state-")
                        .append(esc(run.state())).append("\">").append(esc(run.state())).append("</td><td>")
                        .append("<span class=\"bar-wrap\"><span class=\"bar-fill\" style=\"display:block;width:")
                        .append(Svg.fixed(progress * 100, 1)).append("%\"></span></span> ")
                        .append(last == null ? 0 : last.epoch()).append(" / ")
                        .append(run.epochsPlanned() == null ? "?" : run.epochsPlanned()).append("</td><td class=\"num\">")
                        .append(last == null ? "&ndash;" : Svg.fixed(last.loss(), 4)).append("</td><td class=\"num\">")
                        .append(last == null ? "&ndash;" : Svg.fixed(last.trainAccuracy() * 100, 2) + "%")
                        .append("</td><td class=\"num\">").append(last == null ? "&ndash;" : Svg.fixed(last.imagesPerSecond(), 1))
                        .append("</td><td class=\"num\">").append(last == null ? "&ndash;" : Svg.fixed(last.dataWaitSeconds(), 2))
                        .append("</td><td class=\"num\">")
                        .append(run.testAccuracy() == null ? "&ndash;" : Svg.fixed(run.testAccuracy() * 100, 2) + "%")
                        .append("</td><td class=\"num\">").append(run.wallSeconds() == null ? "&ndash;" : Svg.fixed(run.wallSeconds(), 1))
                        .append("</td><td>").append(esc(run.device() == null ? "" : run.device())).append("</td><td>")
                        .append(note(run)).append("</td></tr>\n");
            }
        }
        return html.append("</tbody></table>\n").toString();
    }

    /** Why a job is not (yet) completed: the cancellation, the next attempt, and every failed attempt's reason. */
    private static String note(Views.Run run) {
        StringBuilder note = new StringBuilder();
        if (run.cancelReason() != null) {
            note.append("cancelled: ").append(esc(run.cancelReason()));
        }
        if (run.nextAttempt() != null) {
            note.append("attempt ").append(run.nextAttempt()).append(" starts at ")
                    .append(esc(String.valueOf(run.retryAt())));
        }
        if (!run.failedAttempts().isEmpty()) {
            note.append("<ol class=\"attempts\">");
            for (Views.FailedAttempt failed : run.failedAttempts()) {
                note.append("<li value=\"").append(failed.attempt()).append("\">attempt ").append(failed.attempt())
                        .append(" failed: ").append(esc(failed.reason())).append("</li>");
            }
            note.append("</ol>");
        }
        return note.toString();
    }

    private static String count(Long value) {
        return value == null ? "&ndash;" : String.format(java.util.Locale.ROOT, "%,d", value);
    }

    private static StringBuilder head(String title, String extraHead) {
        StringBuilder html = new StringBuilder(32768);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n").append(extraHead).append("<style>").append(STYLE).append("</style></head><body>\n");
        return html;
    }
}
