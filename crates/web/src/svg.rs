//! The trend chart: an inline SVG (no script, prints, readable by screen readers through
//! its title and the table next to it). Written by hand: two polylines over a fixed grid
//! need no charting crate.

use std::fmt::Write as _;

use crate::practice::TrendPoint;

const W: f64 = 600.0;
const H: f64 = 200.0;
const PAD: f64 = 30.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[allow(clippy::cast_precision_loss)]
fn points(values: &[i64], max: i64) -> String {
    let n = values.len().max(2) - 1;
    let mut out = String::new();
    for (i, v) in values.iter().enumerate() {
        let x = PAD + (W - 2.0 * PAD) * (i as f64) / (n as f64);
        let y = H - PAD - (H - 2.0 * PAD) * (*v as f64) / (max.max(1) as f64);
        let _ = write!(out, "{x:.1},{y:.1} ");
    }
    out.trim_end().to_owned()
}

/// The chart's opening: the `<svg>` element with its title (for screen readers) and the axes.
fn frame(id: &str, title: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="trend" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}" xmlns="http://www.w3.org/2000/svg"><title id="{id}">{t}</title>"##,
        t = esc(title)
    );
    let _ = write!(
        s,
        r##"<line x1="{PAD}" y1="{b}" x2="{r}" y2="{b}" stroke="#555" stroke-width="1"/><line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{b}" stroke="#555" stroke-width="1"/>"##,
        b = H - PAD,
        r = W - PAD
    );
    s
}

/// The chart of score (0–100, solid) and open findings (dashed, scaled to their maximum).
/// `title` and the legend words come from the catalogue.
#[must_use]
pub fn trend(points_in: &[TrendPoint], title: &str, score: &str, open: &str) -> String {
    let scores: Vec<i64> = points_in.iter().map(|p| p.score).collect();
    let opens: Vec<i64> = points_in.iter().map(|p| p.open).collect();
    let max_open = opens.iter().copied().max().unwrap_or(0).max(1);
    let first = points_in.first().map_or("", |p| p.day.as_str());
    let last = points_in.last().map_or("", |p| p.day.as_str());
    let mut s = frame("trend-title", title);
    if scores.len() == 1 {
        let p = points(&scores, 100);
        let _ = write!(
            s,
            r##"<circle cx="{}" cy="{}" r="4" fill="#0b5394"/>"##,
            p.split(',').next().unwrap_or("0"),
            p.split(',').nth(1).unwrap_or("0")
        );
    } else if !scores.is_empty() {
        let _ = write!(
            s,
            r##"<polyline fill="none" stroke="#0b5394" stroke-width="3" points="{}"/><polyline fill="none" stroke="#8a1c1c" stroke-width="2" stroke-dasharray="6 4" points="{}"/>"##,
            points(&scores, 100),
            points(&opens, max_open)
        );
    }
    let _ = write!(
        s,
        r##"<text x="{PAD}" y="{y}" font-size="12" fill="#222">{first}</text><text x="{xr}" y="{y}" font-size="12" fill="#222" text-anchor="end">{last}</text><text x="{PAD}" y="18" font-size="12" fill="#0b5394">— {sc}</text><text x="{xm}" y="18" font-size="12" fill="#8a1c1c">- - {op} (max {max_open})</text></svg>"##,
        y = H - 8.0,
        xr = W - PAD,
        xm = W / 2.0,
        first = esc(first),
        last = esc(last),
        sc = esc(score),
        op = esc(open)
    );
    s
}

/// Day number since 1970 as YYYY-MM-DD.
fn day_text(d: i64) -> String {
    crate::practice::ms_date(d.saturating_mul(86_400_000))
}

/// A count over time as a step line (affected machines of an advisory): `points` are (day
/// number since 1970, count) at each change, oldest first; x is proportional to time.
#[must_use]
#[allow(clippy::cast_precision_loss)]
pub fn counts(points_in: &[(i64, i64)], title: &str, label: &str) -> String {
    let mut s = frame("counts-title", title);
    let (Some(first), Some(last)) = (points_in.first(), points_in.last()) else {
        s.push_str("</svg>");
        return s;
    };
    let span = (last.0 - first.0).max(1) as f64;
    let max = points_in.iter().map(|p| p.1).max().unwrap_or(0).max(1) as f64;
    let x = |d: i64| PAD + (W - 2.0 * PAD) * ((d - first.0) as f64) / span;
    let y = |n: i64| H - PAD - (H - 2.0 * PAD) * (n as f64) / max;
    let mut line = String::new();
    let mut prev: Option<i64> = None;
    for (d, n) in points_in {
        if let Some(p) = prev {
            let _ = write!(line, "{:.1},{:.1} ", x(*d), y(p));
        }
        let _ = write!(line, "{:.1},{:.1} ", x(*d), y(*n));
        prev = Some(*n);
    }
    let _ = write!(
        s,
        r##"<polyline fill="none" stroke="#8a1c1c" stroke-width="3" points="{}"/>"##,
        line.trim_end()
    );
    let _ = write!(
        s,
        r##"<text x="{PAD}" y="{ty}" font-size="12" fill="#222">{a}</text><text x="{xr}" y="{ty}" font-size="12" fill="#222" text-anchor="end">{b}</text><text x="{PAD}" y="18" font-size="12" fill="#8a1c1c">— {l} (max {m})</text></svg>"##,
        ty = H - 8.0,
        xr = W - PAD,
        a = day_text(first.0),
        b = day_text(last.0),
        l = esc(label),
        m = points_in.iter().map(|p| p.1).max().unwrap_or(0)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_has_both_lines_and_escapes_words() {
        let pts = vec![
            TrendPoint {
                day: "2026-12-01".into(),
                score: 40,
                open: 5,
            },
            TrendPoint {
                day: "2026-12-02".into(),
                score: 80,
                open: 1,
            },
        ];
        let s = trend(&pts, "<T>", "Score", "Offen");
        assert_eq!(s.matches("<polyline").count(), 2);
        assert!(s.contains("&lt;T&gt;"));
        assert!(s.contains("30.0,114.0 570.0,58.0"), "{s}");
    }

    #[test]
    fn counts_step_down_at_the_fix_and_span_the_days() {
        // Two machines from day 20600, one fixed on day 20602, the other on day 20610.
        let s = counts(&[(20_600, 2), (20_602, 1), (20_610, 0)], "T", "Rechner");
        assert!(
            s.contains("points=\"30.0,30.0 138.0,30.0 138.0,100.0 570.0,100.0 570.0,170.0\""),
            "{s}"
        );
        assert!(s.contains("2026-05-27") && s.contains("(max 2)"), "{s}");
        assert!(counts(&[], "T", "R").ends_with("</svg>"));
    }
}
