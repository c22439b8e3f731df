//! Colours as the terminal can show them: stage colours are `#rrggbb`; a terminal that does
//! not announce truecolor (`COLORTERM=truecolor|24bit`) gets the nearest of the 256-colour
//! palette instead of garbage. `NO_COLOR` is honoured by crossterm, which then writes no
//! colour at all.

use ratatui::style::Color;
use std::sync::atomic::{AtomicBool, Ordering};

static TRUECOLOR: AtomicBool = AtomicBool::new(true);

/// Decides once, at start, from the environment, whether `#rrggbb` is drawn as is.
pub fn detect_from_env() {
    let truecolor = std::env::var("COLORTERM").is_ok_and(|v| announces_truecolor(&v));
    TRUECOLOR.store(truecolor, Ordering::Relaxed);
}

/// Whether a `COLORTERM` value promises 24-bit colour.
pub fn announces_truecolor(colorterm: &str) -> bool {
    matches!(colorterm.trim().to_ascii_lowercase().as_str(), "truecolor" | "24bit")
}

/// Parses `#rrggbb` into a terminal colour, as this terminal can show it.
pub fn color(hex: &str) -> Color {
    let h = hex.trim_start_matches('#');
    if h.len() == 6
        && let Ok(v) = u32::from_str_radix(h, 16)
    {
        let (r, g, b) = ((v >> 16) as u8, (v >> 8) as u8, v as u8);
        return if TRUECOLOR.load(Ordering::Relaxed) {
            Color::Rgb(r, g, b)
        } else {
            Color::Indexed(nearest_256(r, g, b))
        };
    }
    Color::Gray
}

/// The xterm-256 palette index nearest to an RGB colour: the 6x6x6 cube (16-231) or the
/// grey ramp (232-255), whichever is closer.
pub fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let step = |c: u8| -> usize {
        LEVELS.iter().enumerate().min_by_key(|(_, l)| (i32::from(**l) - i32::from(c)).abs()).map_or(0, |(i, _)| i)
    };
    let (ri, gi, bi) = (step(r), step(g), step(b));
    let cube = (LEVELS[ri], LEVELS[gi], LEVELS[bi]);
    let cube_index = 16 + 36 * ri + 6 * gi + bi;
    let avg = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    let grey_step = ((avg.saturating_sub(8)) / 10).min(23);
    let grey_level = (8 + 10 * grey_step) as u8;
    let dist = |(a, b2, c): (u8, u8, u8)| -> i32 {
        let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).pow(2);
        d(a, r) + d(b2, g) + d(c, b)
    };
    if dist((grey_level, grey_level, grey_level)) < dist(cube) { 232 + grey_step as u8 } else { cube_index as u8 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primaries_and_greys_land_on_their_palette_entries() {
        assert_eq!(nearest_256(0, 0, 0), 16);
        assert_eq!(nearest_256(255, 255, 255), 231);
        assert_eq!(nearest_256(255, 0, 0), 196);
        assert_eq!(nearest_256(0, 255, 0), 46);
        assert_eq!(nearest_256(0, 0, 255), 21);
        assert_eq!(nearest_256(128, 128, 128), 244);
        // A stage colour of the defaults (#39a8ef, a light blue) goes to a blue, not a grey.
        assert_eq!(nearest_256(0x39, 0xa8, 0xef), 75);
    }

    #[test]
    fn only_truecolor_and_24bit_promise_rgb() {
        assert!(announces_truecolor("truecolor"));
        assert!(announces_truecolor("24bit"));
        assert!(!announces_truecolor(""));
        assert!(!announces_truecolor("yes"));
    }
}
