//! Bar charts drawn on the server as SVG, so a page needs no JavaScript to show them. Each is an
//! image with a title and a description (`role="img"`, labelled by both) and always sits beside
//! a table with the same numbers, which is the accessible alternative and the exact values.

use std::fmt::Write;

/// One bar: its label, its length on the chart's scale, and the text written after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

impl Bar {
    pub fn new(label: impl Into<String>, value: f64, text: impl Into<String>) -> Bar {
        Bar {
            label: label.into(),
            value,
            text: text.into(),
        }
    }
}

const WIDTH: f64 = 760.0;
const LABEL_WIDTH: f64 = 330.0;
const TEXT_WIDTH: f64 = 110.0;
const ROW: f64 = 30.0;
const BAR: f64 = 20.0;

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

/// A horizontal bar chart. `id` must be unique on the page (it names the title and
/// description); `max` is the value of a full-length bar (100 for percentages; the largest
/// value for counts, when it is above zero).
pub fn bar_chart(id: &str, title: &str, description: &str, bars: &[Bar], max: f64) -> String {
    let height = ROW * bars.len().max(1) as f64 + 10.0;
    let scale = (WIDTH - LABEL_WIDTH - TEXT_WIDTH) / if max > 0.0 { max } else { 1.0 };
    let id = escape(id);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(description),
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 5.0 + ROW * i as f64;
        let length = (bar.value.max(0.0) * scale).min(WIDTH - LABEL_WIDTH - TEXT_WIDTH);
        let _ = write!(
            svg,
            r##"<text x="{lx}" y="{ty}" text-anchor="end" font-size="14" fill="#0b0c0c">{label}</text><rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1}" height="{BAR}" fill="#1d70b8"></rect><text x="{vx:.1}" y="{ty}" font-size="14" fill="#0b0c0c">{text}</text>"##,
            lx = LABEL_WIDTH - 8.0,
            ty = y + BAR - 5.0,
            label = escape(&bar.label),
            vx = LABEL_WIDTH + length + 6.0,
            text = escape(&bar.text),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_a_labelled_image_with_a_bar_each_and_escaped_text() {
        let svg = bar_chart(
            "timeliness",
            "Timeliness",
            "Decisions <50%>",
            &[
                Bar::new("Decisions & more", 50.0, "50.0%"),
                Bar::new("Assessments", 100.0, "100.0%"),
            ],
            100.0,
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-labelledby="timeliness-title timeliness-desc""#));
        assert!(svg.contains("<title id=\"timeliness-title\">Timeliness</title>"));
        assert!(svg.contains("Decisions &lt;50%&gt;"));
        assert!(svg.contains("Decisions &amp; more"));
        assert_eq!(svg.matches("<rect").count(), 2);
        // A full bar is the whole bar area (760 less the label and value columns); half is half.
        assert!(svg.contains(r#"width="320.0""#));
        assert!(svg.contains(r#"width="160.0""#));
    }

    #[test]
    fn a_chart_of_nothing_draws_empty_bars() {
        let svg = bar_chart(
            "c",
            "Counts",
            "None",
            &[Bar::new("Contacts", 0.0, "0")],
            0.0,
        );
        assert!(svg.contains(r#"width="0.0""#));
    }
}
