//! The HTML page: run headers as tables (made here), and the plots' data as JSON in a
//! `<script type="application/json" id="netstatspy-data">` element that the page's script
//! (`report/page.js`) draws with uPlot (`report/vendor/`, MIT), all in one file that needs
//! nothing else to open.

use serde_json::{Map, Value, json};

use super::{Plot, ReportConfig, Run};

/// uPlot 1.6.32, `dist/uPlot.iife.min.js` of the npm package (MIT; `report/vendor/`).
const UPLOT_JS: &str = include_str!("../../report/vendor/uPlot.iife.min.js");
/// Its style sheet.
const UPLOT_CSS: &str = include_str!("../../report/vendor/uPlot.min.css");
/// uPlot's license, carried in the page beside the code.
const UPLOT_LICENSE: &str = include_str!("../../report/vendor/uPlot.LICENSE");
/// The script that draws the plots.
const PAGE_JS: &str = include_str!("../../report/page.js");
/// The page's own style.
const PAGE_CSS: &str = include_str!("../../report/page.css");

/// The order of the sections on the page.
const SECTIONS: [&str; 5] = [
    "Interfaces",
    "Qdiscs",
    "Sockets",
    "Byte queue limits",
    "TCP small queue",
];

/// True when some series of the plot has a point.
pub(super) fn has_points(plot: &Plot) -> bool {
    plot.series.iter().any(|s| s.envelope.count > 0)
}

/// True when the plot is drawn: it has a point other than zero (idle interfaces and qdiscs
/// are named, not drawn).
pub(super) fn drawn(plot: &Plot) -> bool {
    plot.series.iter().any(|s| s.envelope.nonzero)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A value of a run header or summary as text for a table cell.
fn cell(value: &Value) -> String {
    match value {
        Value::String(s) => escape(s),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => escape(
            &items
                .iter()
                .map(|i| match i {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Value::Object(map) if !map.is_empty() => table(map),
        other => escape(&other.to_string()),
    }
}

fn table(map: &Map<String, Value>) -> String {
    let mut out = String::from("<table>");
    for (k, v) in map {
        out.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>",
            escape(k),
            cell(v)
        ));
    }
    out.push_str("</table>");
    out
}

/// The plots of a run, in section order; within a section in the order first met (the
/// kernel's dump order: a qdisc tree's root before its children).
fn ordered(run: &Run) -> Vec<&Plot> {
    let mut plots: Vec<&Plot> = run.plots.iter().filter(|p| drawn(p)).collect();
    plots.sort_by_key(|p| SECTIONS.iter().position(|s| *s == p.section));
    plots
}

fn plot_json(plot: &Plot, id: &str) -> Value {
    let series: Vec<Value> = plot
        .series
        .iter()
        .map(|s| {
            let shown = s.envelope.shown();
            json!({
                "label": s.label,
                "points": s.envelope.count,
                "decimated": shown.decimated,
                "t": shown.t,
                "v": shown.v,
            })
        })
        .collect();
    json!({
        "id": id,
        "section": plot.section,
        "group": plot.group,
        "depth": plot.depth,
        "title": plot.title,
        "unit": plot.unit,
        "series": series,
    })
}

/// The whole page.
pub(super) fn render(runs: &[Run], config: &ReportConfig) -> String {
    let mut body = String::new();
    let mut data_runs = Vec::new();
    let files: Vec<String> = config
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    for (r, run) in runs.iter().enumerate() {
        body.push_str(&format!(
            "<section class=\"run\" id=\"run-{r}\"><h1>Run {}</h1>",
            escape(if run.id.is_empty() {
                "(no run identifier)"
            } else {
                &run.id
            })
        ));
        match &run.header {
            Some(Value::Object(h)) => {
                body.push_str("<h2>Run header</h2><div class=\"header\">");
                body.push_str(&table(h));
                body.push_str("</div>");
            }
            _ => body.push_str("<p class=\"note\">No run header in the input.</p>"),
        }
        if let Some(Value::Object(s)) = &run.summary {
            body.push_str("<h2>Run summary</h2><div class=\"header\">");
            body.push_str(&table(s));
            body.push_str("</div>");
        }
        let counts: Map<String, Value> = run
            .counts
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(*v)))
            .collect();
        body.push_str("<h2>Records read</h2><div class=\"header\">");
        body.push_str(&table(&counts));
        body.push_str("</div>");
        if !run.closed.is_empty() {
            body.push_str(&format!(
                "<h2>Closed sockets ({})</h2><table class=\"closed\"><tr><th>closed at</th>\
                 <th>socket</th><th>bytes_acked</th><th>total_retrans</th><th>rtt µs</th></tr>",
                run.closed.len()
            ));
            for c in run.closed.iter().take(200) {
                let (_, name) = super::socket_name(c);
                let info = |k: &str| {
                    c.get("tcp_info")
                        .and_then(|i| i.get(k))
                        .map_or_else(String::new, |v| v.to_string())
                };
                body.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&super::text(c.get("closed_at"))),
                    escape(&name),
                    escape(&info("bytes_acked")),
                    escape(&info("total_retrans")),
                    escape(&info("rtt")),
                ));
            }
            body.push_str("</table>");
        }
        body.push_str(&format!("<div class=\"plots\" id=\"run-{r}-plots\"></div>"));
        let plots: Vec<Value> = ordered(run)
            .into_iter()
            .enumerate()
            .map(|(p, plot)| plot_json(plot, &format!("r{r}p{p}")))
            .collect();
        let empty = run.plots.iter().filter(|p| !has_points(p)).count();
        if empty > 0 {
            body.push_str(&format!(
                "<p class=\"note\">{empty} plots have no points (rates need two samples) and \
                 are not drawn.</p>"
            ));
        }
        let zero: Vec<&Plot> = run
            .plots
            .iter()
            .filter(|p| has_points(p) && !drawn(p))
            .collect();
        if !zero.is_empty() {
            body.push_str(&format!(
                "<details class=\"note\"><summary>{} plots are zero throughout and are not \
                 drawn</summary><ul>",
                zero.len()
            ));
            for p in zero {
                body.push_str(&format!(
                    "<li>{} ({})</li>",
                    escape(&p.title),
                    escape(p.unit)
                ));
            }
            body.push_str("</ul></details>");
        }
        body.push_str("</section>");
        data_runs.push(json!({"id": run.id, "plots": plots}));
    }
    let data = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "files": files,
        "buckets": config.buckets,
        "runs": data_runs,
    });
    // `<` appears in the JSON only inside strings, where `\u003c` means the same: the script
    // element cannot be closed early.
    let data = data.to_string().replace('<', "\\u003c");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>netstatspy report: {title}</title>\n<style>{UPLOT_CSS}\n{PAGE_CSS}</style>\n\
         </head><body>\n<header><b>netstatspy report</b> of {title}. Drag across a plot to zoom \
         in, wheel to zoom, shift+wheel to pan, double-click to reset; every plot of a run \
         follows. Long series are shown as the minimum and maximum of each time bucket (every \
         peak kept).</header>\n<div id=\"netstatspy-errors\" data-count=\"0\"></div>\n\
         <div id=\"netstatspy-status\" data-done=\"0\"></div>\n{body}\n\
         <script type=\"application/json\" id=\"netstatspy-data\">{data}</script>\n\
         <script>/* uPlot 1.6.32 (https://github.com/leeoniya/uPlot)\n{UPLOT_LICENSE}*/\n\
         {UPLOT_JS}</script>\n<script>{PAGE_JS}</script>\n</body></html>\n",
        title = escape(&files.join(", ")),
    )
}
