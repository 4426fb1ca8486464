//! Inline SVG charts for the HTML report: the score ring and one bar per topic and per KBV
//! Anlage. Plain strings, no scripts, no external references; every chart has a text
//! title and every segment a label, so nothing depends on colour alone.
//!
//! Written by hand: the charting crates render to files or pull in a renderer; these are a
//! few rectangles and arcs.

use std::fmt::Write as _;

use praxcheck_model::Light;

/// Escapes text for XML/HTML.
#[must_use]
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Colour of a light.
#[must_use]
pub fn light_color(l: Light) -> &'static str {
    match l {
        Light::Red => "#c62828",
        Light::Yellow => "#f9a825",
        Light::Green => "#2e7d32",
    }
}

/// The score as a ring with the number in the middle.
#[must_use]
pub fn score_ring(percent: u32, light: Light, title: &str) -> String {
    let p = f64::from(percent.min(100));
    let r = 42.0_f64;
    let circ = 2.0 * std::f64::consts::PI * r;
    let dash = circ * p / 100.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="ring" viewBox="0 0 100 100" width="120" height="120" role="img" aria-label="{t}"><title>{t}</title><circle cx="50" cy="50" r="{r}" fill="none" stroke="#e0e0e0" stroke-width="12"/><circle cx="50" cy="50" r="{r}" fill="none" stroke="{c}" stroke-width="12" stroke-dasharray="{dash:.1} {circ:.1}" transform="rotate(-90 50 50)"/><text x="50" y="57" text-anchor="middle" font-size="24" font-weight="bold" fill="#212121">{percent}</text></svg>"##,
        t = esc(title),
        c = light_color(light),
    );
    s
}

/// One segment of a bar.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Value (points or counts).
    pub value: u32,
    /// Fill colour.
    pub color: &'static str,
    /// True for a hatched fill (not checked).
    pub hatched: bool,
    /// Label shown in the legend.
    pub label: String,
}

/// A horizontal stacked bar with a legend line underneath.
#[must_use]
pub fn bar(segments: &[Segment], total: u32, title: &str, id: &str) -> String {
    let width = 360.0_f64;
    let total = f64::from(total.max(1));
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="bar" viewBox="0 0 360 40" width="360" height="40" role="img" aria-label="{t}"><title>{t}</title><defs><pattern id="h{id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f5f5f5"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9e9e9e" stroke-width="3"/></pattern></defs><rect x="0" y="0" width="360" height="16" fill="#fafafa" stroke="#bdbdbd"/>"##,
        t = esc(title),
        id = esc(id),
    );
    let mut x = 0.0_f64;
    let mut legend = Vec::new();
    for seg in segments.iter().filter(|s| s.value > 0) {
        let w = width * f64::from(seg.value) / total;
        let fill = if seg.hatched {
            format!("url(#h{})", esc(id))
        } else {
            seg.color.to_owned()
        };
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="0" width="{w:.1}" height="16" fill="{fill}"><title>{l}</title></rect>"#,
            l = esc(&seg.label)
        );
        x += w;
        legend.push(esc(&seg.label));
    }
    let _ = write!(
        s,
        r##"<text x="0" y="33" font-size="11" fill="#424242">{}</text></svg>"##,
        legend.join(" · ")
    );
    s
}
