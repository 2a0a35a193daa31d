//! The report's charts, drawn as inline SVG.
//!
//! Text stays text (`<text>` elements), so the browser renders Chinese labels with
//! its own fonts and a reader can copy them; layout only needs an estimate of a
//! label's width, taken from its display width (a Han character is two columns).
//! Every chart has a title, labelled axes with units, and a `<title>` for screen
//! readers. Numbers are printed with fixed precision, so the same tables give the
//! same file.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

/// Text size of labels, in px.
const FONT: f64 = 12.0;
/// Height of one row of a chart with a row per label.
const ROW: f64 = 18.0;

/// Escapes text for HTML and SVG.
pub fn esc(text: &str) -> String {
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

/// Estimated width of `text` in px at the label size.
fn text_width(text: &str) -> f64 {
    text.width() as f64 * FONT * 0.58
}

/// A round step for an axis from 0 to `max` with about `ticks` ticks.
fn nice_step(max: f64, ticks: f64) -> f64 {
    let raw = (max / ticks).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// A tick value as text, with as many decimals as the axis `step` needs, no
/// trailing zeros.
fn tick(v: f64, step: f64) -> String {
    let decimals = (-step.log10().floor()).max(0.0) as usize + 1;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Opens an SVG of the given size (widened to fit the title) with its title.
fn open(out: &mut String, width: f64, height: f64, title: &str) {
    let width = width.max(text_width(title) * 1.15 + 20.0);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" role="img"><title>{t}</title><text x="{x:.1}" y="18" class="chart-title" text-anchor="middle">{t}</text>"#,
        t = esc(title),
        x = width / 2.0,
    );
}

/// A horizontal value axis at `y` from `x0` to `x1` for values 0..`max`, with
/// grid lines up to `top` and a label under it.
fn x_axis(
    out: &mut String,
    (x0, x1): (f64, f64),
    (top, y): (f64, f64),
    (min, max, step): (f64, f64, f64),
    label: &str,
) {
    let mut v = min;
    while v <= max + step * 1e-9 {
        let x = x0 + (x1 - x0) * (v - min) / (max - min);
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{y:.1}" class="grid"/><text x="{x:.1}" y="{ty:.1}" text-anchor="middle" class="tick">{}</text>"##,
            tick(v, step),
            ty = y + 14.0,
        );
        v += step;
    }
    let _ = write!(
        out,
        r#"<line x1="{x0:.1}" y1="{y:.1}" x2="{x1:.1}" y2="{y:.1}" class="axis"/><text x="{cx:.1}" y="{ly:.1}" text-anchor="middle" class="axis-label">{}</text>"#,
        esc(label),
        cx = (x0 + x1) / 2.0,
        ly = y + 32.0,
    );
}

/// The ends of a value axis showing `values`, and its tick step: from 0 when none
/// is negative (as [`axis_max`]), otherwise both ends rounded out to a step, so
/// that 0 is a tick.
fn axis_range(values: impl Iterator<Item = f64> + Clone) -> (f64, f64, f64) {
    let min = values.clone().fold(0.0, f64::min);
    if min < 0.0 {
        let max = values.fold(0.0, f64::max);
        let step = nice_step(max - min, 5.0);
        let (lo, hi) = ((min / step).floor() * step, (max / step).ceil() * step);
        (lo, hi.max(step), step)
    } else {
        let max = axis_max(values);
        (0.0, max, nice_step(max, 4.0))
    }
}

/// The upper end of a value axis showing `values`: at least a small positive number.
fn axis_max(values: impl Iterator<Item = f64>) -> f64 {
    let max = values.fold(0.0, f64::max);
    if max > 0.0 {
        let step = nice_step(max, 4.0);
        (max / step).ceil() * step
    } else {
        1.0
    }
}

/// One row of a dot-and-whisker chart: a label, a value and an optional interval.
pub struct Dot<'a> {
    pub label: &'a str,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// Dots with whiskers, one row per label; rows without a value say "no tokens".
pub fn dot_whisker(title: &str, x_label: &str, rows: &[Dot<'_>]) -> String {
    let label_w = rows
        .iter()
        .map(|r| text_width(r.label))
        .fold(40.0, f64::max)
        + 12.0;
    let plot_w = 260.0;
    let (top, width) = (30.0, label_w + plot_w + 20.0);
    let height = top + rows.len() as f64 * ROW + 44.0;
    let (min, max, step) = axis_range(rows.iter().flat_map(|r| [r.value, r.low, r.high]).flatten());
    let (x0, x1) = (label_w, label_w + plot_w);
    let x = |v: f64| x0 + (x1 - x0) * (v - min) / (max - min);
    let mut out = String::new();
    open(&mut out, width, height, title);
    let bottom = top + rows.len() as f64 * ROW;
    x_axis(&mut out, (x0, x1), (top, bottom), (min, max, step), x_label);
    for (i, r) in rows.iter().enumerate() {
        let y = top + (i as f64 + 0.5) * ROW;
        let _ = write!(
            out,
            r#"<text x="{lx:.1}" y="{ty:.1}" text-anchor="end" class="label">{}</text>"#,
            esc(r.label),
            lx = label_w - 6.0,
            ty = y + 4.0,
        );
        if let (Some(lo), Some(hi)) = (r.low, r.high) {
            let _ = write!(
                out,
                r#"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" class="whisker"/>"#,
                x(lo),
                x(hi),
            );
        }
        match r.value {
            Some(v) => {
                let _ = write!(
                    out,
                    r#"<circle cx="{:.1}" cy="{y:.1}" r="4" class="dot"><title>{}: {v:.2}</title></circle>"#,
                    x(v),
                    esc(r.label),
                );
            }
            None => {
                let _ = write!(
                    out,
                    r#"<text x="{:.1}" y="{:.1}" class="tick">no tokens</text>"#,
                    x0 + 4.0,
                    y + 4.0
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per label (values at least 0).
pub fn bars(title: &str, x_label: &str, rows: &[(String, f64)]) -> String {
    let label_w = rows.iter().map(|r| text_width(&r.0)).fold(40.0, f64::max) + 12.0;
    let plot_w = 300.0;
    let (top, width) = (30.0, label_w + plot_w + 70.0);
    let height = top + rows.len() as f64 * ROW + 44.0;
    let max = axis_max(rows.iter().map(|r| r.1));
    let (x0, x1) = (label_w, label_w + plot_w);
    let mut out = String::new();
    open(&mut out, width, height, title);
    let bottom = top + rows.len() as f64 * ROW;
    let step = nice_step(max, 4.0);
    x_axis(&mut out, (x0, x1), (top, bottom), (0.0, max, step), x_label);
    for (i, (label, v)) in rows.iter().enumerate() {
        let y = top + i as f64 * ROW;
        let w = (x1 - x0) * v / max;
        let _ = write!(
            out,
            r#"<text x="{lx:.1}" y="{ty:.1}" text-anchor="end" class="label">{l}</text><rect x="{x0:.1}" y="{by:.1}" width="{w:.1}" height="{bh:.1}" class="bar"><title>{l}: {v}</title></rect><text x="{vx:.1}" y="{ty:.1}" class="tick">{v}</text>"#,
            l = esc(label),
            lx = label_w - 6.0,
            ty = y + ROW / 2.0 + 4.0,
            by = y + 3.0,
            bh = ROW - 6.0,
            vx = x0 + w + 4.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// Fill colour of a heat-map cell: white to dark blue with the square root of
/// `v / max`, so that small rates stay visible next to large ones.
fn shade(v: f64, max: f64) -> String {
    let t = if max > 0.0 {
        (v / max).clamp(0.0, 1.0).sqrt()
    } else {
        0.0
    };
    let (r, g, b) = (
        255.0 + (8.0 - 255.0) * t,
        255.0 + (69.0 - 255.0) * t,
        255.0 + (148.0 - 255.0) * t,
    );
    format!("rgb({r:.0},{g:.0},{b:.0})")
}

/// A heat map: `values[row][col]`, printed in each cell (`–` where unknown).
pub fn heatmap(
    title: &str,
    (row_title, rows): (&str, &[String]),
    (col_title, cols): (&str, &[String]),
    values: &[Vec<Option<f64>>],
    unit: &str,
) -> String {
    let label_w = rows.iter().map(|r| text_width(r)).fold(40.0, f64::max) + 12.0;
    let head_h = cols.iter().map(|c| text_width(c)).fold(30.0, f64::max) * 0.75 + 16.0;
    let cell_w = 46.0;
    let top = 30.0 + head_h;
    let width = label_w + cols.len() as f64 * cell_w + 20.0;
    let height = top + rows.len() as f64 * ROW + 44.0;
    let max = values
        .iter()
        .flatten()
        .flatten()
        .copied()
        .fold(0.0, f64::max);
    let mut out = String::new();
    open(&mut out, width, height, title);
    for (j, c) in cols.iter().enumerate() {
        let x = label_w + (j as f64 + 0.5) * cell_w;
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{y:.1}" transform="rotate(-40 {x:.1} {y:.1})" class="label">{}</text>"#,
            esc(c),
            y = top - 6.0,
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + i as f64 * ROW;
        let _ = write!(
            out,
            r#"<text x="{lx:.1}" y="{ty:.1}" text-anchor="end" class="label">{}</text>"#,
            esc(r),
            lx = label_w - 6.0,
            ty = y + ROW / 2.0 + 4.0,
        );
        for (j, v) in values[i].iter().enumerate() {
            let x = label_w + j as f64 * cell_w;
            let (fill, text) = match v {
                Some(v) => (shade(*v, max), format!("{v:.1}")),
                None => ("#eeeeee".to_string(), "–".to_string()),
            };
            let dark = v.is_some_and(|v| max > 0.0 && v / max > 0.35);
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{cell_w:.1}" height="{ROW:.1}" fill="{fill}" class="cell"><title>{r} × {c}: {text} {u}</title></rect><text x="{tx:.1}" y="{ty:.1}" text-anchor="middle" class="{cls}">{text}</text>"#,
                r = esc(r),
                c = esc(&cols[j]),
                u = esc(unit),
                tx = x + cell_w / 2.0,
                ty = y + ROW / 2.0 + 4.0,
                cls = if dark { "cell-text dark" } else { "cell-text" },
            );
        }
    }
    let _ = write!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" class="axis-label">{}</text><text x="8" y="{ly:.1}" class="axis-label">{}</text>"#,
        esc(&format!("{col_title} — cells: {unit}")),
        esc(row_title),
        x = label_w + cols.len() as f64 * cell_w / 2.0,
        y = top + rows.len() as f64 * ROW + 28.0,
        ly = 30.0 + head_h - 6.0,
    );
    out.push_str("</svg>");
    out
}

/// Categorical colours for line series (the Tableau 10 palette).
const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// Lines over years, one per series, with a legend.
pub fn lines(title: &str, y_label: &str, series: &[(String, Vec<(i32, f64)>)]) -> String {
    let years: Vec<i64> = series
        .iter()
        .flat_map(|s| s.1.iter().map(|p| p.0 as i64))
        .collect();
    let (y_min, y_max) = (
        years.iter().copied().min().unwrap_or(0),
        years.iter().copied().max().unwrap_or(1),
    );
    let span = (y_max - y_min).max(1) as f64;
    let legend_w = series.iter().map(|s| text_width(&s.0)).fold(40.0, f64::max) + 30.0;
    let (left, plot_w, plot_h, top) = (50.0, 320.0, 170.0, 30.0);
    let width = left + plot_w + 20.0 + legend_w;
    let height = top + plot_h + 46.0;
    let max = axis_max(series.iter().flat_map(|s| s.1.iter().map(|p| p.1)));
    let x = |year: i64| left + plot_w * (year - y_min) as f64 / span;
    let y = |v: f64| top + plot_h * (1.0 - v / max);
    let mut out = String::new();
    open(&mut out, width, height, title);
    // Value axis (vertical) with grid lines.
    let step = nice_step(max, 4.0);
    let mut v = 0.0;
    while v <= max + step * 1e-9 {
        let _ = write!(
            out,
            r#"<line x1="{left:.1}" y1="{yy:.1}" x2="{x2:.1}" y2="{yy:.1}" class="grid"/><text x="{tx:.1}" y="{ty:.1}" text-anchor="end" class="tick">{}</text>"#,
            tick(v, step),
            yy = y(v),
            x2 = left + plot_w,
            tx = left - 4.0,
            ty = y(v) + 4.0,
        );
        v += step;
    }
    // Year labels at a round step: at most about ten, however wide the span.
    let year_step = (nice_step(span, 10.0).ceil() as i64).max(1);
    let mut year = y_min.div_euclid(year_step) * year_step;
    while year <= y_max {
        if year >= y_min {
            let _ = write!(
                out,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="tick">{year}</text>"#,
                x(year),
                top + plot_h + 14.0,
            );
        }
        year += year_step;
    }
    let _ = write!(
        out,
        r#"<line x1="{left:.1}" y1="{b:.1}" x2="{r:.1}" y2="{b:.1}" class="axis"/><text x="{cx:.1}" y="{ly:.1}" text-anchor="middle" class="axis-label">year</text><text x="12" y="{my:.1}" transform="rotate(-90 12 {my:.1})" text-anchor="middle" class="axis-label">{}</text>"#,
        esc(y_label),
        b = top + plot_h,
        r = left + plot_w,
        cx = left + plot_w / 2.0,
        ly = top + plot_h + 34.0,
        my = top + plot_h / 2.0,
    );
    for (k, (name, points)) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let path: Vec<String> = points
            .iter()
            .map(|&(yr, v)| format!("{:.1},{:.1}", x(yr as i64), y(v)))
            .collect();
        let _ = write!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"/>"#,
            path.join(" ")
        );
        for &(yr, v) in points {
            let _ = write!(
                out,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{colour}"><title>{} {yr}: {v:.2}</title></circle>"#,
                x(yr as i64),
                y(v),
                esc(name),
            );
        }
        let ly = top + 10.0 + k as f64 * ROW;
        let lx = left + plot_w + 20.0;
        let _ = write!(
            out,
            r#"<rect x="{lx:.1}" y="{:.1}" width="12" height="4" fill="{colour}"/><text x="{:.1}" y="{:.1}" class="label">{}</text>"#,
            ly - 4.0,
            lx + 16.0,
            ly + 1.0,
            esc(name),
        );
    }
    out.push_str("</svg>");
    out
}

/// A point of a [`map`]: its label, coordinates, and whether it is of the second
/// kind (drawn as a labelled triangle rather than a labelled circle).
pub struct MapPoint<'a> {
    pub label: &'a str,
    pub x: f64,
    pub y: f64,
    pub second: bool,
}

/// A two-dimensional map (correspondence analysis): both axes through the origin,
/// on one scale, named `x_label` and `y_label`.
pub fn map(title: &str, (x_label, y_label): (&str, &str), points: &[MapPoint<'_>]) -> String {
    let (size, pad, top) = (420.0, 60.0, 30.0);
    let reach = points
        .iter()
        .map(|p| p.x.abs().max(p.y.abs()))
        .fold(1e-9, f64::max)
        * 1.1;
    let x = |v: f64| pad + size * (v + reach) / (2.0 * reach);
    let y = |v: f64| top + size * (reach - v) / (2.0 * reach);
    let mut out = String::new();
    open(&mut out, size + 2.0 * pad, size + top + 40.0, title);
    let _ = write!(
        out,
        r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" class="axis"/><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" class="axis"/><text x="{:.1}" y="{:.1}" text-anchor="middle" class="axis-label">{}</text><text x="12" y="{my:.1}" transform="rotate(-90 12 {my:.1})" text-anchor="middle" class="axis-label">{}</text>"#,
        x(-reach),
        y(0.0),
        x(reach),
        y(0.0),
        x(0.0),
        y(reach),
        x(0.0),
        y(-reach),
        x(0.0),
        top + size + 28.0,
        esc(x_label),
        esc(y_label),
        my = top + size / 2.0,
    );
    for p in points {
        let (cx, cy) = (x(p.x), y(p.y));
        let (colour, class) = if p.second {
            (PALETTE[1], "tick")
        } else {
            (PALETTE[0], "label")
        };
        if p.second {
            let _ = write!(
                out,
                r#"<path d="M{:.1},{:.1} l4,7 h-8 z" fill="{colour}"/>"#,
                cx,
                cy - 4.0
            );
        } else {
            let _ = write!(
                out,
                r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="4" fill="{colour}"/>"#
            );
        }
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" class="{class}">{}<title>{}: ({:.3}, {:.3})</title></text>"#,
            cx + 6.0,
            cy + 4.0,
            esc(p.label),
            esc(p.label),
            p.x,
            p.y
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_and_text_is_escaped() {
        assert_eq!(nice_step(100.0, 4.0), 25.0);
        assert_eq!(nice_step(7.0, 4.0), 2.0);
        assert_eq!(axis_max([0.0, 13.2].into_iter()), 15.0);
        assert_eq!(axis_range([2.0, 13.2].into_iter()), (0.0, 15.0, 5.0));
        // Wordfish positions: both ends rounded out, 0 on a tick.
        assert_eq!(axis_range([-2.58, 1.44].into_iter()), (-3.0, 2.0, 1.0));
        assert_eq!(tick(2.50, 2.5), "2.5");
        assert_eq!(tick(0.002, 0.001), "0.002");
        assert_eq!(tick(150.0, 50.0), "150");
        assert_eq!(esc("<a & 'b'>"), "&lt;a &amp; &#39;b&#39;&gt;");
        assert!(text_width("法治") > text_width("ab"));
    }

    #[test]
    fn charts_are_well_formed_svg_with_their_labels() {
        let svg = dot_whisker(
            "Rule of law (法治)",
            "per 10,000 tokens",
            &[
                Dot {
                    label: "CN zh",
                    value: Some(2.0),
                    low: Some(1.0),
                    high: Some(3.0),
                },
                Dot {
                    label: "EU en",
                    value: None,
                    low: None,
                    high: None,
                },
            ],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("法治") && svg.contains("no tokens") && svg.contains("whisker"));
        let map = heatmap(
            "t",
            ("frame", &["a".into()]),
            ("group", &["x".into(), "y".into()]),
            &[vec![Some(1.0), None]],
            "per 10k",
        );
        assert_eq!(map.matches("<rect").count(), 2);
        let chart = lines(
            "t",
            "per 10k",
            &[("CN zh".into(), vec![(2017, 1.0), (2023, 2.0)])],
        );
        assert!(chart.contains("2020") && chart.contains("polyline"));
        // A mistyped year does not draw thousands of labels.
        let wide = lines("t", "r", &[("x".into(), vec![(2024, 1.0), (20240, 2.0)])]);
        assert!(wide.matches("class=\"tick\">2").count() < 20);
    }
}
