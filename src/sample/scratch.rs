use super::*;
#[test]
#[ignore]
fn scratch_small() {
    let dir = std::path::Path::new("/tmp/kamplan_sample_small");
    let _ = std::fs::remove_dir_all(dir);
    let t = std::time::Instant::now();
    let s = write_sample_project(&SampleSpec::new(150, 30, 42), dir).unwrap();
    eprintln!("{s:?} in {:?}", t.elapsed());
}
#[test]
#[ignore]
fn scratch_big() {
    let dir = std::path::Path::new("/tmp/kamplan_sample_big");
    let _ = std::fs::remove_dir_all(dir);
    let t = std::time::Instant::now();
    let spec = SampleSpec {
        target_lines: Some(10_000_000),
        single_file: true,
        ..SampleSpec::new(20000, 36, 42)
    };
    let w = world::World::build(&spec);
    eprintln!("world in {:?}, k={}, digits={}", t.elapsed(), w.intensity, w.invoice_digits);
    let s = write_sample_project(&spec, dir).unwrap();
    eprintln!("{s:?} in {:?}", t.elapsed());
}
