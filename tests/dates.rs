//! Dates are shown as written and sorted by value: the home page's latest commentary,
//! seed pages' provenance and `dossier.json`.

mod common;
use common::*;

#[test]
fn latest_commentary_is_newest_first_by_date_value() {
    let f = Fixture::new("basic");
    for (name, date) in [
        ("september", "date: 2018-9"),
        ("october", "date: 2018-10"),
        ("year", "date: 2018"),
        ("unquoted-day", "date: 2018-11-02"),
        ("quoted-time", "date: \"2018-10-22T14:03:00+02:00\""),
        ("next-year", "date: 2019"),
        ("undated", ""),
    ] {
        f.write(
            &format!("content/dated/{name}.md"),
            &format!("---\ntitle: \"{name}\"\n{date}\n---\nText.\n"),
        );
    }
    f.build_ok();
    let doc = f.html("index.html");
    let items: Vec<(String, String)> = select(&doc, ".home-latest li")
        .iter()
        .map(|li| {
            let title = text(&select_in(li, "a")[0]);
            let time = select_in(li, "time")
                .first()
                .map(|t| format!("{} {}", t.value().attr("datetime").unwrap(), text(t)))
                .unwrap_or_default();
            (title, time)
        })
        .collect();
    let pair = |title: &str, date: &str| {
        let time = if date.is_empty() {
            String::new()
        } else {
            format!("{date} {date}")
        };
        (title.to_string(), time)
    };
    // By value, not as text ("2018-9" < "2018-10"); a year is its first instant, so `2018`
    // follows the months of 2018; undated pages come last (then by weight: essay two has 2).
    assert_eq!(
        items,
        [
            pair("Essay one", "2024-01-02"),
            pair("next-year", "2019"),
            pair("unquoted-day", "2018-11-02"),
            pair("quoted-time", "2018-10-22T14:03:00+02:00"),
            pair("october", "2018-10"),
            pair("september", "2018-9"),
            pair("year", "2018"),
            pair("undated", ""),
            pair("Essay two", ""),
        ]
    );
    // Pages and dossier.json show the date as written too.
    let page = f.html("dated/september/index.html");
    assert_eq!(text(&select(&page, ".meta time")[0]), "2018-9");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.out().join("dossier.json")).unwrap())
            .unwrap();
    let pages = json["pages"].as_array().unwrap();
    let date_of = |path: &str| pages.iter().find(|p| p["path"] == path).unwrap()["date"].clone();
    assert_eq!(date_of("dated/september"), "2018-9");
    assert_eq!(date_of("dated/next-year"), "2019");
    assert_eq!(date_of("dated/undated"), serde_json::Value::Null);
}

#[test]
fn sidecar_dates_are_shown_as_written() {
    let f = Fixture::new("basic");
    f.edit(
        "seeds/alpha.yaml",
        "url:",
        "retrieved: 2020-05-01T09:30:00Z\nurl:",
    );
    f.build_ok();
    let doc = f.html("sources/alpha/index.html");
    let retrieved = text(&select(&doc, ".field-retrieved")[0]);
    assert!(retrieved.contains("2020-05-01T09:30:00Z"), "{retrieved}");
    let published = text(&select(&doc, ".field-published")[0]);
    assert!(published.contains("2019-03"), "{published}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.out().join("dossier.json")).unwrap())
            .unwrap();
    let alpha = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "alpha")
        .unwrap();
    assert_eq!(alpha["provenance"]["published"], "2019-03");
    assert_eq!(alpha["provenance"]["retrieved"], "2020-05-01T09:30:00Z");
}

fn select_in<'a>(el: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    el.select(&scraper::Selector::parse(css).unwrap()).collect()
}
