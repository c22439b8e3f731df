//! A PDF laid out from a document's Markdown (the same template the Markdown output is), with
//! no program outside Prospect: A4 pages, DejaVu Sans embedded (subset: accents and the euro
//! sign as typed), headings, paragraphs (`**bold**`, a line ending in two spaces breaks), and
//! tables (right-aligned columns as the Markdown's `---:` says, long cells wrapped, the
//! header repeated on a new page). A page breaks wherever the next line does not fit.

use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, TextDirection};

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// A4 in points.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 50.0;
const BODY: f32 = 9.5;
const HEADING: f32 = 18.0;
const LEADING: f32 = 1.35;
const CELL_PAD: f32 = 5.0;

/// One font with what measuring its text needs.
struct Face {
    font: Font,
    face: rustybuzz::Face<'static>,
}

impl Face {
    fn load(data: &'static [u8]) -> Result<Face, String> {
        let font = Font::new(data.into(), 0).ok_or("the embedded font does not read")?;
        let face = rustybuzz::Face::from_slice(data, 0).ok_or("the embedded font does not read")?;
        Ok(Face { font, face })
    }

    /// The width of `text` at `size` (advances, without kerning: a little generous).
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                let g = self.face.glyph_index(c).unwrap_or_default();
                f32::from(self.face.glyph_hor_advance(g).unwrap_or(0))
            })
            .sum();
        units * size / f32::from(self.face.units_per_em() as u16)
    }
}

/// A run of text in one weight.
#[derive(Clone, Debug, PartialEq)]
struct Run {
    text: String,
    bold: bool,
}

/// `**bold**` spans of a line of Markdown.
fn runs(line: &str, bold_all: bool) -> Vec<Run> {
    let mut out = Vec::new();
    for (i, part) in line.split("**").enumerate() {
        if !part.is_empty() {
            out.push(Run { text: part.to_string(), bold: bold_all || i % 2 == 1 });
        }
    }
    out
}

/// What the Markdown holds, block by block.
#[derive(Debug, PartialEq)]
enum Block {
    Heading(String),
    /// Lines of a paragraph (a line ending in two spaces ends one).
    Paragraph(Vec<String>),
    Table {
        header: Vec<String>,
        right: Vec<bool>,
        rows: Vec<Vec<String>>,
    },
    Gap,
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim().trim_start_matches('|').trim_end_matches('|');
    t.split('|').map(|c| c.trim().to_string()).collect()
}

fn blocks(md: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let lines: Vec<&str> = md.lines().collect();
    let mut i = 0;
    let mut para: Vec<String> = Vec::new();
    let flush = |para: &mut Vec<String>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Paragraph(std::mem::take(para)));
        }
    };
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if t.is_empty() {
            flush(&mut para, &mut out);
            if !matches!(out.last(), Some(Block::Gap) | None) {
                out.push(Block::Gap);
            }
        } else if let Some(h) = t.strip_prefix("# ") {
            flush(&mut para, &mut out);
            out.push(Block::Heading(h.trim().to_string()));
        } else if t.starts_with('|') {
            flush(&mut para, &mut out);
            let header = cells(t);
            let mut right = vec![false; header.len()];
            let mut rows = Vec::new();
            i += 1;
            if let Some(sep) = lines.get(i).filter(|l| l.trim().starts_with('|') && l.contains("---")) {
                for (k, c) in cells(sep).iter().enumerate() {
                    if let Some(r) = right.get_mut(k) {
                        *r = c.ends_with(':');
                    }
                }
                i += 1;
            }
            while let Some(l) = lines.get(i).filter(|l| l.trim().starts_with('|')) {
                rows.push(cells(l));
                i += 1;
            }
            out.push(Block::Table { header, right, rows });
            continue;
        } else {
            // A line ending in two spaces (or a backslash) breaks the paragraph's line there.
            let broken = line.ends_with("  ") || line.ends_with('\\');
            let text = t.trim_end_matches('\\').to_string();
            match (para.last_mut(), broken) {
                (Some(last), _) if !last.ends_with('\n') => {
                    last.push(' ');
                    last.push_str(&text);
                }
                _ => para.push(text),
            }
            if broken && let Some(last) = para.last_mut() {
                last.push('\n');
            }
        }
        i += 1;
    }
    flush(&mut para, &mut out);
    out
}

/// Words of runs wrapped to `width`: lines of runs.
fn wrap(runs: &[Run], width: f32, size: f32, regular: &Face, bold: &Face) -> Vec<Vec<Run>> {
    let mut lines: Vec<Vec<Run>> = vec![vec![]];
    let mut used = 0.0;
    for run in runs {
        let face = if run.bold { bold } else { regular };
        for (k, word) in run.text.split(' ').enumerate() {
            let piece = if k == 0 { word.to_string() } else { format!(" {word}") };
            let w = face.width(&piece, size);
            if used + w > width && used > 0.0 {
                lines.push(vec![]);
                used = 0.0;
                let trimmed = piece.trim_start().to_string();
                used += face.width(&trimmed, size);
                if let Some(l) = lines.last_mut() {
                    l.push(Run { text: trimmed, bold: run.bold });
                }
                continue;
            }
            used += w;
            let line = lines.last_mut().expect("a line");
            match line.last_mut() {
                Some(last) if last.bold == run.bold => last.text.push_str(&piece),
                _ => line.push(Run { text: piece, bold: run.bold }),
            }
        }
    }
    lines
}

/// Pages being written.
struct Writer<'a> {
    doc: Document,
    pages: Vec<Vec<(Point, bool, f32, String)>>,
    rules: Vec<Vec<(f32, f32, f32)>>,
    y: f32,
    regular: &'a Face,
    bold: &'a Face,
}

impl<'a> Writer<'a> {
    fn new_page(&mut self) {
        self.pages.push(vec![]);
        self.rules.push(vec![]);
        self.y = MARGIN;
    }

    /// Room for `h` more points on this page, else a new page; whether one was started.
    fn room(&mut self, h: f32) -> bool {
        if self.y + h > PAGE_H - MARGIN {
            self.new_page();
            return true;
        }
        false
    }

    fn text(&mut self, x: f32, baseline: f32, bold: bool, size: f32, text: &str) {
        if let Some(p) = self.pages.last_mut() {
            p.push((Point::from_xy(x, baseline), bold, size, text.to_string()));
        }
    }

    fn runs_at(&mut self, x: f32, baseline: f32, size: f32, runs: &[Run]) -> f32 {
        let mut at = x;
        for r in runs {
            self.text(at, baseline, r.bold, size, &r.text);
            at += if r.bold { self.bold.width(&r.text, size) } else { self.regular.width(&r.text, size) };
        }
        at - x
    }

    fn rule(&mut self, x1: f32, x2: f32, y: f32) {
        if let Some(r) = self.rules.last_mut() {
            r.push((x1, x2, y));
        }
    }

    fn paragraph(&mut self, lines: &[String]) {
        let width = PAGE_W - 2.0 * MARGIN;
        let h = BODY * LEADING;
        for line in lines {
            for wrapped in wrap(&runs(line.trim_end_matches('\n'), false), width, BODY, self.regular, self.bold) {
                self.room(h);
                self.y += h;
                let baseline = self.y - h * 0.25;
                self.runs_at(MARGIN, baseline, BODY, &wrapped);
            }
        }
    }

    fn table(&mut self, header: &[String], right: &[bool], rows: &[Vec<String>]) {
        let n = header.len().max(1);
        let width = PAGE_W - 2.0 * MARGIN;
        // Columns other than the first as wide as their widest cell; the first takes the rest.
        let natural = |k: usize| -> f32 {
            std::iter::once(header)
                .chain(rows.iter().map(|r| r.as_slice()))
                .filter_map(|r| r.get(k))
                .map(|c| {
                    let plain = c.replace("**", "");
                    self.bold.width(&plain, BODY)
                })
                .fold(0.0, f32::max)
                + 2.0 * CELL_PAD
        };
        let mut widths: Vec<f32> = (0..n).map(natural).collect();
        let others: f32 = widths.iter().skip(1).sum();
        let first_min = width * 0.3;
        if others + first_min > width {
            let scale = (width - first_min) / others.max(1.0);
            for w in widths.iter_mut().skip(1) {
                *w *= scale;
            }
        }
        widths[0] = width - widths.iter().skip(1).sum::<f32>();
        let h = BODY * LEADING;
        let draw_row = |w: &mut Writer, cells: &[String], bold: bool| {
            let wrapped: Vec<Vec<Vec<Run>>> = (0..n)
                .map(|k| {
                    let text = cells.get(k).map(String::as_str).unwrap_or("");
                    wrap(&runs(text, bold), widths[k] - 2.0 * CELL_PAD, BODY, w.regular, w.bold)
                })
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * h + 2.0;
            let top = w.y;
            let mut x = MARGIN;
            for (k, lines) in wrapped.iter().enumerate() {
                for (li, line) in lines.iter().enumerate() {
                    let baseline = top + (li as f32 + 1.0) * h - h * 0.25;
                    let text_w: f32 = line
                        .iter()
                        .map(|r| if r.bold { w.bold.width(&r.text, BODY) } else { w.regular.width(&r.text, BODY) })
                        .sum();
                    let at = if right.get(k).copied().unwrap_or(false) {
                        x + widths[k] - CELL_PAD - text_w
                    } else {
                        x + CELL_PAD
                    };
                    w.runs_at(at, baseline, BODY, line);
                }
                x += widths[k];
            }
            w.y = top + height;
            w.rule(MARGIN, MARGIN + width, w.y);
        };
        self.room(2.0 * h);
        draw_row(self, header, true);
        for row in rows {
            let lines = (0..n)
                .map(|k| {
                    let text = row.get(k).map(String::as_str).unwrap_or("");
                    wrap(&runs(text, false), widths[k] - 2.0 * CELL_PAD, BODY, self.regular, self.bold).len()
                })
                .max()
                .unwrap_or(1);
            if self.room(lines as f32 * h + 2.0) {
                // The header again on the new page.
                draw_row(self, header, true);
            }
            draw_row(self, row, false);
        }
    }

    fn finish(mut self, title: &str) -> Result<Vec<u8>, String> {
        self.doc.set_metadata(krilla::metadata::Metadata::new().title(title.to_string()));
        let regular = self.regular.font.clone();
        let bold = self.bold.font.clone();
        let count = self.pages.len();
        for (i, (texts, rules)) in self.pages.into_iter().zip(self.rules).enumerate() {
            let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("page size")?;
            let mut page = self.doc.start_page_with(settings);
            let mut surface = page.surface();
            surface.set_stroke(Some(Stroke { width: 0.4, ..Default::default() }));
            for (x1, x2, y) in rules {
                let mut pb = PathBuilder::new();
                pb.move_to(x1, y);
                pb.line_to(x2, y);
                if let Some(path) = pb.finish() {
                    surface.draw_path(&path);
                }
            }
            surface.set_stroke(None);
            for (at, is_bold, size, text) in texts {
                let font = if is_bold { bold.clone() } else { regular.clone() };
                surface.draw_text(at, font, size, &text, false, TextDirection::Auto);
            }
            if count > 1 {
                let folio = format!("{}/{}", i + 1, count);
                let w = 7.5 * 0.55 * folio.len() as f32;
                surface.draw_text(
                    Point::from_xy(PAGE_W - MARGIN - w, PAGE_H - MARGIN / 2.0),
                    regular.clone(),
                    7.5,
                    &folio,
                    false,
                    TextDirection::Auto,
                );
            }
            surface.finish();
            page.finish();
        }
        self.doc.finish().map_err(|e| format!("{e:?}"))
    }
}

/// A PDF of `markdown`, titled `title`.
pub fn from_markdown(markdown: &str, title: &str) -> Result<Vec<u8>, String> {
    let regular = Face::load(REGULAR)?;
    let bold = Face::load(BOLD)?;
    let mut w =
        Writer { doc: Document::new(), pages: vec![], rules: vec![], y: MARGIN, regular: &regular, bold: &bold };
    w.new_page();
    for block in blocks(markdown) {
        match block {
            Block::Heading(text) => {
                let h = HEADING * LEADING;
                w.room(h);
                w.y += h;
                let baseline = w.y - h * 0.25;
                w.text(MARGIN, baseline, true, HEADING, &text);
                w.y += 4.0;
            }
            Block::Paragraph(lines) => w.paragraph(&lines),
            Block::Table { header, right, rows } => w.table(&header, &right, &rows),
            Block::Gap => w.y += BODY * 0.8,
        }
    }
    w.finish(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_reads_as_headings_paragraphs_and_tables() {
        let md = "# Facture F-1\n\n**Vendeur**  \n3 rue Haute\nLyon\n\n| A | B |\n|---|---:|\n| x | 1,00 € |\n";
        let b = blocks(md);
        assert_eq!(b[0], Block::Heading("Facture F-1".into()));
        assert_eq!(b[2], Block::Paragraph(vec!["**Vendeur**\n".into(), "3 rue Haute Lyon".into()]));
        assert_eq!(
            b[4],
            Block::Table {
                header: vec!["A".into(), "B".into()],
                right: vec![false, true],
                rows: vec![vec!["x".into(), "1,00 €".into()]]
            }
        );
        assert_eq!(
            runs("a **b** c", false),
            [
                Run { text: "a ".into(), bold: false },
                Run { text: "b".into(), bold: true },
                Run { text: " c".into(), bold: false }
            ]
        );
    }

    #[test]
    fn a_long_document_breaks_into_pages() {
        let mut md = String::from("# Long\n\n| Désignation | Total |\n|---|---:|\n");
        for i in 0..200 {
            md.push_str(&format!("| Ligne n° {i} élément à 12,50 € | 12,50 € |\n"));
        }
        let pdf = from_markdown(&md, "Long").unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        if let Ok(dir) = std::env::var("PROSPECT_PDF_OUT") {
            std::fs::write(std::path::Path::new(&dir).join("long.pdf"), &pdf).unwrap();
        }
        // 200 rows of one line: more than four pages of about 55.
        let md_rows =
            blocks(&md).iter().map(|b| if let Block::Table { rows, .. } = b { rows.len() } else { 0 }).sum::<usize>();
        assert_eq!(md_rows, 200);
    }
}
