#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kamplan_fuzz::targets::sales_line(data));
