//! The pack's charts: the six terms of a year as SVG, drawn with plotters. Each series has its own
//! shade and marker (and dashes for lines), so a chart reads in black and white; a term with no
//! figure (not started, hidden, not collected) is left out, never drawn as zero.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One series: its name and a value for each category (T1 to T6, or the districts).
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Lines,
    /// Bars side by side in each term.
    Bars,
    /// Bars stacked in each term (the parts of a whole).
    Stacked,
}

pub struct Chart {
    pub title: String,
    /// What the numbers are ("children", "%").
    pub unit: String,
    pub kind: Kind,
    pub series: Vec<Series>,
    /// The x axis: the six terms unless other categories are given (districts).
    pub categories: Vec<String>,
    /// The framework's target on the measures drawn: a level line across the plot, named in the key.
    pub target: Option<TargetLine>,
}

/// A target drawn as a line: its level and its name in the key ("Target: 20% by 31 Aug 2024").
pub struct TargetLine {
    pub value: f64,
    pub label: String,
}

/// The terms of a year, the usual categories.
pub fn terms() -> Vec<String> {
    (1..=6).map(|t| format!("T{t}")).collect()
}

const WIDTH: u32 = 780;
const HEIGHT: u32 = 330;
/// The key's strip on the right.
const KEY_WIDTH: u32 = 215;

/// Shades from black to light grey: each readable on white and told apart in print.
const SHADES: [RGBColor; 5] = [
    RGBColor(0, 0, 0),
    RGBColor(95, 95, 95),
    RGBColor(160, 160, 160),
    RGBColor(215, 215, 215),
    RGBColor(60, 60, 60),
];

impl Chart {
    /// The chart as an SVG element; a message instead when it cannot be drawn.
    pub fn svg(&self) -> String {
        let mut out = String::new();
        let drawn = {
            let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
            self.draw(&root).and_then(|()| root.present().map_err(|e| e.to_string()))
        };
        match drawn {
            Ok(()) => out,
            Err(e) => format!("<p class=\"muted\">This chart could not be drawn: {}</p>", super::esc(&e)),
        }
    }

    /// The highest value drawn (of a stack, its total), so the axis fits every bar.
    fn top(&self) -> f64 {
        let per_term = |t: usize| -> f64 {
            let values = self.series.iter().filter_map(|s| s.values.get(t).copied().flatten());
            match self.kind {
                Kind::Stacked => values.sum(),
                _ => values.fold(0.0, f64::max),
            }
        };
        let max = (0..self.categories.len()).map(per_term).fold(0.0, f64::max);
        let max = self.target.as_ref().map_or(max, |t| max.max(t.value));
        if self.unit == "%" { 100.0 } else { (max * 1.15).max(1.0).ceil() }
    }

    fn draw(&self, root: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String> {
        let e = |e: DrawingAreaErrorKind<_>| e.to_string();
        root.fill(&WHITE).map_err(e)?;
        // The key on the right, outside the plot, so it never hides a figure.
        let (plot, key) = root.split_horizontally(WIDTH - KEY_WIDTH);
        let whole = self.unit != "children per meeting";
        let n_cat = self.categories.len().max(1);
        let categories = self.categories.clone();
        // Many names (the districts) are written downwards under their bars, so none overlaps.
        let downwards = n_cat > 6;
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(if downwards { 96 } else { 28 })
            .y_label_area_size(46)
            .build_cartesian_2d(-0.5f64..(n_cat as f64 - 0.5), 0f64..self.top())
            .map_err(e)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n_cat)
            .x_label_formatter(&|x| {
                let t = x.round();
                let at = t as usize;
                if !downwards && (x - t).abs() < 0.01 && t >= 0.0 && at < categories.len() {
                    fit(&categories[at], 14)
                } else {
                    String::new()
                }
            })
            .y_labels(6)
            .y_label_formatter(&|y| if whole { format!("{y:.0}") } else { format!("{y:.1}") })
            .y_desc(&self.unit)
            .bold_line_style(RGBColor(225, 225, 225))
            .light_line_style(WHITE)
            .label_style(("sans-serif", 13))
            .axis_desc_style(("sans-serif", 13))
            .draw()
            .map_err(e)?;
        if downwards {
            // Each name starts just under its bar and reads downwards.
            let style = ("sans-serif", 12)
                .into_font()
                .transform(FontTransform::Rotate90)
                .into_text_style(&plot)
                .pos(Pos::new(HPos::Left, VPos::Center));
            for (t, name) in self.categories.iter().enumerate() {
                let (x, y) = chart.backend_coord(&(t as f64, 0.0));
                plot.draw(&Text::new(fit(name, 14), (x, y + 8), style.clone())).map_err(e)?;
            }
        }
        let n = self.series.len().max(1) as f64;
        for (i, s) in self.series.iter().enumerate() {
            let shade = SHADES[i % SHADES.len()];
            match self.kind {
                Kind::Lines => {
                    // Only terms with a figure are joined; a gap stays a gap.
                    let points: Vec<(f64, f64)> = (0..n_cat)
                        .filter_map(|t| s.values.get(t).copied().flatten().map(|v| (t as f64, v)))
                        .collect();
                    let style = ShapeStyle::from(&shade).stroke_width(2);
                    if i % 2 == 0 {
                        chart.draw_series(LineSeries::new(points.clone(), style)).map_err(e)?;
                    } else {
                        chart.draw_series(DashedLineSeries::new(points.clone(), 6, 4, style)).map_err(e)?;
                    }
                    chart.draw_series(points.iter().map(|p| marker(*p, i, shade))).map_err(e)?;
                }
                Kind::Bars | Kind::Stacked => {
                    let width = if self.kind == Kind::Bars { 0.8 / n } else { 0.6 };
                    let corners: Vec<[(f64, f64); 2]> = (0..n_cat)
                        .filter_map(|t| {
                            let v = s.values.get(t).copied().flatten()?;
                            let (x0, base) = match self.kind {
                                Kind::Bars => (t as f64 - 0.4 + width * i as f64, 0.0),
                                _ => {
                                    let below: f64 = self.series[..i]
                                        .iter()
                                        .filter_map(|o| o.values.get(t).copied().flatten())
                                        .sum();
                                    (t as f64 - 0.3, below)
                                }
                            };
                            Some([(x0, base), (x0 + width, base + v)])
                        })
                        .collect();
                    chart
                        .draw_series(corners.iter().map(|c| Rectangle::new(*c, shade.filled())))
                        .map_err(e)?;
                    // Outlined, so a light bar shows on white paper.
                    chart
                        .draw_series(corners.iter().map(|c| Rectangle::new(*c, BLACK.stroke_width(1))))
                        .map_err(e)?;
                }
            }
        }
        if let Some(t) = &self.target {
            // A dotted black line: told from the series' solid and dashed lines in print.
            let level = vec![(-0.5, t.value), (n_cat as f64 - 0.5, t.value)];
            chart.draw_series(DashedLineSeries::new(level, 2, 4, BLACK.stroke_width(2))).map_err(e)?;
        }
        self.key(&key).map_err(e)
    }

    /// Each series' shade, marker or line, and name; for stacked bars in the order of the stack
    /// (top first).
    fn key(
        &self,
        area: &DrawingArea<SVGBackend<'_>, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
        let font = ("sans-serif", 12).into_font();
        let mut order: Vec<usize> = (0..self.series.len()).collect();
        if self.kind == Kind::Stacked {
            order.reverse();
        }
        let mut y = 24;
        for i in order {
            let shade = SHADES[i % SHADES.len()];
            match self.kind {
                Kind::Lines => {
                    let style = ShapeStyle::from(&shade).stroke_width(2);
                    area.draw(&PathElement::new(vec![(4, y), (30, y)], style))?;
                    area.draw(&marker::<SVGBackend<'_>, (i32, i32)>((17, y), i, shade))?;
                }
                _ => {
                    area.draw(&Rectangle::new([(6, y - 6), (26, y + 6)], shade.filled()))?;
                    area.draw(&Rectangle::new([(6, y - 6), (26, y + 6)], BLACK.stroke_width(1)))?;
                }
            }
            // A long name takes a second line rather than being cut ("Actively supported: early
            // years" is the catalogue's label, and its last words tell the series apart).
            let lines = wrap(&self.series[i].label, KEY_CHARS);
            for (n, line) in lines.iter().enumerate() {
                area.draw(&Text::new(line.as_str(), (36, y - 7 + 14 * n as i32), font.clone()))?;
            }
            y += 22 + 14 * (lines.len() as i32 - 1);
        }
        if let Some(t) = &self.target {
            // Dotted, as the line on the plot.
            for x in (4..30).step_by(6) {
                area.draw(&PathElement::new(vec![(x, y), (x + 2, y)], BLACK.stroke_width(2)))?;
            }
            let lines = wrap(&t.label, KEY_CHARS);
            for (n, line) in lines.iter().enumerate() {
                area.draw(&Text::new(line.as_str(), (36, y - 7 + 14 * n as i32), font.clone()))?;
            }
        }
        Ok(())
    }
}

/// The characters of a series' name that fit one line of the key.
const KEY_CHARS: usize = 27;

/// A name on at most two lines of `max` characters, broken between words (the second cut if it
/// is still too long).
fn wrap(label: &str, max: usize) -> Vec<String> {
    if label.chars().count() <= max {
        return vec![label.to_string()];
    }
    let mut first = String::new();
    let mut words = label.split(' ').peekable();
    while let Some(word) = words.peek() {
        let len = first.chars().count() + usize::from(!first.is_empty()) + word.chars().count();
        if len > max {
            break;
        }
        if !first.is_empty() {
            first.push(' ');
        }
        first.push_str(word);
        words.next();
    }
    if first.is_empty() {
        return vec![fit(label, max)];
    }
    let rest: Vec<&str> = words.collect();
    vec![first, fit(&rest.join(" "), max)]
}

/// A name cut to fit the key.
fn fit(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_string();
    }
    let cut: String = label.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A point's marker: a different shape for each series.
fn marker<DB: DrawingBackend, C: Clone + 'static>(
    p: C,
    series: usize,
    shade: RGBColor,
) -> DynElement<'static, DB, C> {
    match series % 4 {
        0 => Circle::new(p, 4, shade.filled()).into_dyn(),
        1 => TriangleMarker::new(p, 5, shade.filled()).into_dyn(),
        2 => Cross::new(p, 4, shade.stroke_width(2)).into_dyn(),
        _ => Circle::new(p, 4, ShapeStyle::from(&shade).stroke_width(2)).into_dyn(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_name_in_the_key_breaks_between_words_not_inside_one() {
        assert_eq!(wrap("Primary", KEY_CHARS), ["Primary"]);
        assert_eq!(
            wrap("Actively supported: early years", KEY_CHARS),
            ["Actively supported: early", "years"]
        );
        let long =
            wrap("Social, emotional and mental health needs at a specialist early years setting", KEY_CHARS);
        assert_eq!(long.len(), 2);
        assert!(long.iter().all(|l| l.chars().count() <= KEY_CHARS), "{long:?}");
        assert!(long[1].ends_with('…'));
        assert_eq!(wrap(&"x".repeat(40), 10), [format!("{}…", "x".repeat(9))]);
    }
}
