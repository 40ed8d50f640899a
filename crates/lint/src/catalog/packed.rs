//! The action list as embedded: packed by the build script (`pack.rs`,
//! which describes the format; a third of the gzipped size of the text),
//! unpacked into the text of `data/actions.txt` on first use.

/// A name starts with `NAME_BASE + n`: it repeats the first `n` words of
/// the previous name.
const NAME_BASE: u8 = 0xF0;
/// Ends a service's names.
const END: u8 = 0xFF;

/// The text of `actions.txt` from the word list and the packed names;
/// `None` when they are not what `pack` writes.
pub(super) fn unpack(word_list: &str, packed: &[u8]) -> Option<String> {
    let words: Vec<&str> = word_list.lines().collect();
    let (&one_byte, mut rest) = packed.split_first()?;
    let one_byte = usize::from(one_byte);
    let mut text = String::with_capacity(packed.len() * 5);
    // The words of the name being read.
    let mut name: Vec<&str> = Vec::new();
    while !rest.is_empty() {
        let colon = rest.iter().position(|&b| b == b':')?;
        text.push_str(std::str::from_utf8(&rest[..colon]).ok()?);
        text.push(':');
        rest = &rest[colon + 1..];
        name.clear();
        let mut bytes = rest.iter().copied().enumerate();
        let mut names = 0;
        let end = loop {
            let (at, byte) = bytes.next()?;
            if byte == END || byte >= NAME_BASE {
                if names > 0 {
                    if names > 1 {
                        text.push(',');
                    }
                    name.iter().for_each(|word| text.push_str(word));
                }
                if byte == END {
                    break at;
                }
                names += 1;
                name.truncate(usize::from(byte - NAME_BASE));
                continue;
            }
            let index = if usize::from(byte) < one_byte {
                usize::from(byte)
            } else {
                let (_, low) = bytes.next()?;
                one_byte + (usize::from(byte) - one_byte) * 256 + usize::from(low)
            };
            name.push(words.get(index)?);
        };
        text.push('\n');
        rest = &rest[end + 1..];
    }
    Some(text)
}

// The build script's packer, to check the round trip.
#[cfg(test)]
#[path = "pack.rs"]
mod pack;

#[cfg(test)]
mod tests {
    use super::pack;
    use super::*;

    fn round_trip(text: &str) -> Option<String> {
        let (words, packed) = pack::pack(text).unwrap();
        unpack(&words, &packed)
    }

    #[test]
    fn the_format_constants_agree_with_the_packer() {
        assert_eq!((NAME_BASE, END), (pack::NAME_BASE, pack::END));
    }

    #[test]
    fn the_embedded_list_unpacks_to_actions_txt() {
        let text = include_str!("../../data/actions.txt");
        let (words, packed) = pack::pack(text).unwrap();
        let embedded = (super::super::actions::WORDS, super::super::actions::PACKED);
        assert_eq!((words.as_str(), packed.as_slice()), embedded);
        assert_eq!(unpack(&words, &packed).as_deref(), Some(text));
    }

    #[test]
    fn names_split_into_camel_case_words() {
        assert_eq!(pack::words("GetObject"), ["Get", "Object"]);
        assert_eq!(
            pack::words("RegisterAVSDevice"),
            ["Register", "AVS", "Device"]
        );
        assert_eq!(pack::words("ListV2Things"), ["List", "V2", "Things"]);
        assert_eq!(pack::words("a-b"), ["a", "-", "b"]);
    }

    #[test]
    fn shared_words_two_byte_codes_and_one_name_services_round_trip() {
        // 600 distinct words: most need two-byte codes.
        let many: Vec<String> = (0..600).map(|i| format!("Word{i}x")).collect();
        let long = "A".to_string() + &"Bc".repeat(40);
        let text = format!(
            "a-1:Get,GetObject,GetObjectAcl,GetObjectAcl\nb:{}\nc:{long},{long}De,{long}\nd:X\n",
            many.join(","),
        );
        assert_eq!(round_trip(&text).as_deref(), Some(text.as_str()));
    }

    #[test]
    fn malformed_input_is_refused_not_misread() {
        for bad in ["a:X", "a\n", "a:X,,Y\n", ":X\n", "a:X:Y\n", "a:Bé\n"] {
            assert!(pack::pack(bad).is_err(), "{bad:?}");
        }
        let (words, packed) = pack::pack("a:GetObject,PutObject\n").unwrap();
        for cut in 2..packed.len() {
            assert_eq!(unpack(&words, &packed[..cut]), None, "cut at {cut}");
        }
        assert_eq!(unpack("", &packed), None);
        // The header alone is an empty list.
        assert_eq!(unpack(&words, &packed[..1]).as_deref(), Some(""));
    }
}
