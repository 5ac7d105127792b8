//! Every mistake a user can make is a located diagnostic with a hint, all are reported at
//! once, and a failed build leaves the previous output exactly as it was.

mod common;
use common::*;
use dossier::diagnostics::Diagnostic;

/// Builds once successfully, applies `breakage`, builds again and returns the single error,
/// after checking that the first output survived byte for byte.
fn error_after(breakage: impl FnOnce(&Fixture)) -> (Fixture, Diagnostic) {
    let f = Fixture::new("basic");
    f.build_ok();
    let before = snapshot(&f.out());
    breakage(&f);
    let diags = f.build();
    assert!(diags.has_errors(), "the broken dossier built");
    assert!(snapshot(&f.out()) == before, "the previous output changed");
    let error = only_error(&diags);
    (f, error)
}

#[test]
fn unknown_seed_id_names_file_line_column_and_nearest_seed() {
    let (_, e) =
        error_after(|f| f.edit("content/essays/two.md", "seed:legacy#p1", "seed:legasy#p1"));
    assert_at(&e, "E301", "content/essays/two.md", 7, 67);
    assert_eq!(e.message, "no seed with the id `legasy`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `seed:legacy`?"));
    assert_eq!(e.location.source_line, "Back to [one](one.md#intro-1). The legacy text, [first paragraph](seed:legasy#p1), and [the wide one](seed:wide#L2).");
    let rendered = e.render_human();
    assert!(
        rendered.contains("error[E301]: no seed with the id `legasy`"),
        "{rendered}"
    );
    assert!(
        rendered.contains("--> content/essays/two.md:7:67"),
        "{rendered}"
    );
    assert!(
        rendered.contains(&format!("{}{}\n", " ".repeat(67), "^".repeat(14))),
        "{rendered}"
    );
    assert!(
        rendered.contains("help: did you mean `seed:legacy`?"),
        "{rendered}"
    );
}

#[test]
fn missing_paragraph_anchor_says_which_exist() {
    let (_, e) =
        error_after(|f| f.edit("content/essays/two.md", "seed:legacy#p1", "seed:legacy#p9"));
    assert_at(&e, "E302", "content/essays/two.md", 7, 67);
    assert_eq!(e.message, "seed `legacy` has no anchor `#p9`");
    assert_eq!(
        e.hint.as_deref(),
        Some("it has paragraphs #p1–#p1 and lines #L1–#L1")
    );
}

#[test]
fn missing_heading_anchor_suggests_the_nearest_heading() {
    let (_, e) =
        error_after(|f| f.edit("content/essays/two.md", "one.md#intro-1", "one.md#intro-2"));
    assert_at(&e, "E302", "content/essays/two.md", 7, 15);
    assert_eq!(e.message, "content/essays/one.md has no heading `#intro-2`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `#intro-1`?"));
}

#[test]
fn relative_path_to_a_missing_file_suggests_the_nearest() {
    let (_, e) = error_after(|f| f.edit("content/essays/one.md", "(two.md)", "(tow.md)"));
    assert_at(&e, "E301", "content/essays/one.md", 10, 11);
    assert_eq!(
        e.message,
        "`tow.md` is not a page or seed of this dossier (content/essays/tow.md)"
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean `two.md`?"));
}

#[test]
fn a_link_that_leaves_the_root_is_refused() {
    let (_, e) = error_after(|f| {
        f.edit(
            "content/essays/two.md",
            "(one.md#intro-1)",
            "(../../../etc/passwd)",
        )
    });
    assert_at(&e, "E303", "content/essays/two.md", 7, 15);
    assert_eq!(
        e.message,
        "link `../../../etc/passwd` leaves the dossier's root"
    );
}

#[test]
fn unknown_reference_form_suggests_the_right_one() {
    let (_, e) = error_after(|f| f.edit("content/essays/two.md", "seed:wide#L2", "sead:wide#L2"));
    assert_eq!(e.code, "E301");
    assert_eq!(e.message, "unknown reference form `sead:`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `seed:`?"));
}

#[test]
fn misspelt_config_key_names_the_key_and_line() {
    let (_, e) = error_after(|f| f.edit("dossier.yaml", "language: en", "langauge: en"));
    assert_at(&e, "E100", "dossier.yaml", 3, 1);
    assert!(
        e.message
            .starts_with("unknown field `langauge`, expected one of"),
        "{}",
        e.message
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean `language`?"));
}

#[test]
fn wrong_config_type_names_the_key_and_line() {
    let (_, e) = error_after(|f| {
        f.edit(
            "dossier.yaml",
            "language: en",
            "language: en\nunsafe_html: sometimes",
        )
    });
    assert_eq!((e.code, e.location.line), ("E100", 4), "{e:#?}");
    assert!(e.message.contains("unsafe_html"), "{}", e.message);
}

#[test]
fn altered_seed_fails_fixity_at_the_recorded_checksum() {
    let (f, e) = error_after(|f| {
        let mut bytes = std::fs::read(f.path("seeds/alpha.txt")).unwrap();
        bytes[0] = b'f';
        std::fs::write(f.path("seeds/alpha.txt"), bytes).unwrap();
    });
    let line = f
        .read("seeds/alpha.yaml")
        .lines()
        .position(|l| l.starts_with("sha256:"))
        .unwrap()
        + 1;
    assert_at(&e, "E202", "seeds/alpha.yaml", line, 1);
    assert_eq!(
        e.message,
        "seeds/alpha.txt no longer matches its recorded sha256: the source was altered"
    );
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .starts_with("its bytes now hash to "),
        "{:?}",
        e.hint
    );
}

#[test]
fn bad_sidecar_key_and_bad_inferred_field_are_located() {
    let (_, e) = error_after(|f| f.edit("seeds/alpha.yaml", "publisher:", "publsher:"));
    assert_at(&e, "E201", "seeds/alpha.yaml", 4, 1);
    assert_eq!(e.hint.as_deref(), Some("did you mean `publisher`?"));
    let (_, e) = error_after(|f| f.edit("seeds/alpha.yaml", "  published:", "  publishd:"));
    assert_at(&e, "E201", "seeds/alpha.yaml", 9, 3);
    assert_eq!(
        e.message,
        "`inferred` names `publishd`, which is not a provenance field"
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean `published`?"));
}

#[test]
fn page_without_title_or_front_matter_is_located() {
    let (_, e) = error_after(|f| f.edit("content/essays/two.md", "title: \"Essay two\"\n", ""));
    assert_eq!(
        (e.code, e.location.file.as_str()),
        ("E300", "content/essays/two.md")
    );
    assert!(e.message.contains("missing field `title`"), "{}", e.message);
    let (_, e) = error_after(|f| f.write("content/bare.md", "# No front matter\n"));
    assert_at(&e, "E300", "content/bare.md", 1, 1);
    assert_eq!(e.message, "page has no front matter");
}

#[test]
fn duplicate_ids_bad_ids_and_reserved_paths_are_errors() {
    let f = Fixture::new("basic");
    f.build_ok();
    let before = snapshot(&f.out());
    std::fs::write(f.path("seeds/other.txt"), "Other.\n").unwrap();
    f.write("seeds/other.yaml", "id: alpha\n");
    f.write("content/Bad Name.md", "---\ntitle: x\n---\n");
    f.write("content/sources/x.md", "---\ntitle: x\n---\n");
    let diags = f.build();
    assert!(snapshot(&f.out()) == before);
    let errors: Vec<_> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    let summary: Vec<(&str, &str, &str)> = errors
        .iter()
        .map(|d| (d.code, d.location.file.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("E203", "content/Bad Name.md", "`Bad Name` in the page path `Bad Name` may only hold lowercase letters, digits, `-` and `_`"),
            ("E204", "content/sources/x.md", "the URL /sources/x/ belongs to the generated site"),
            ("E204", "seeds/other.yaml", "seeds seeds/alpha.txt and seeds/other.txt both have the id `alpha`"),
        ]
    );
    assert_eq!(errors[0].hint.as_deref(), Some("rename it to `bad-name`"));
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let f = Fixture::new("basic");
    f.edit("dossier.yaml", "language: en", "langauge: en");
    f.edit("content/essays/two.md", "seed:legacy#p1", "seed:nope");
    f.edit("content/essays/one.md", "(two.md)", "(../../../x.md)");
    f.edit("content/essays/one.md", "seed:alpha#p2", "seed:alpha#p7");
    f.edit("seeds/alpha.yaml", "sha256: \"35", "sha256: \"00");
    let diags = f.build();
    let codes: Vec<&str> = diags
        .sorted()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, ["E302", "E303", "E301", "E100", "E202"]);
    assert!(!f.out().exists(), "nothing is written when the build fails");
    let human = diags.render_human();
    assert!(human.ends_with("5 errors, 1 warning\n"), "{human}");
}

#[test]
fn missing_theme_is_an_error_at_the_config_line() {
    let (_, e) =
        error_after(|f| f.edit("dossier.yaml", "language: en", "language: en\ntheme: fancy"));
    assert_at(&e, "E101", "dossier.yaml", 4, 1);
    assert_eq!(
        e.message,
        "theme `fancy` not found: there is no folder themes/fancy/"
    );
}

#[test]
fn broken_template_is_reported_with_its_file() {
    let (_, e) = error_after(|f| f.write("themes/default/templates/page.html", "{% if %}"));
    assert_eq!(
        (e.code, e.location.file.as_str()),
        ("E101", "themes/default/templates/page.html"),
        "{e:#?}"
    );
}

#[test]
fn a_file_in_templates_that_is_no_template_is_a_warning_and_the_rest_builds() {
    let f = Fixture::new("basic");
    f.write("themes/default/templates/notes.md", "# not a template\n");
    f.write(
        "themes/default/templates/sitemap.xml",
        "<urlset>{% for url in urls %}<u>{{ url }}</u>{% endfor %}</urlset>\n",
    );
    let diags = f.build_ok();
    let w: Vec<_> = diags.iter().filter(|d| d.code == "E101").collect();
    assert_eq!(w.len(), 1, "{}", diags.render_human());
    assert!(!w[0].is_error());
    assert_eq!(w[0].location.file, "themes/default/templates/notes.md");
    assert_eq!(w[0].message, "not a template: skipped");
    assert_eq!(
        w[0].hint.as_deref(),
        Some("templates end in .html, .xml, .txt; files to publish go in themes/default/static/")
    );
    // The overridden sitemap is used: theme templates may be .xml too.
    let sitemap = std::fs::read_to_string(f.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.starts_with("<urlset><u>https://example.org/sub/</u>"),
        "{sitemap}"
    );
}

mod output_folder {
    use super::*;

    #[test]
    fn a_non_empty_folder_without_the_marker_is_refused_and_untouched() {
        let f = Fixture::new("basic");
        let out = f.dir.path().join("precious");
        std::fs::create_dir_all(out.join("sub")).unwrap();
        std::fs::write(out.join("sub/thesis.txt"), "years of work").unwrap();
        let before = snapshot(&out);
        let mut options = f.options();
        options.output = Some(out.clone());
        let diags = dossier::build(&options);
        let e = only_error(&diags);
        assert_eq!(e.code, "E500");
        assert_eq!(
            e.message,
            format!(
                "refusing to replace {}: it is not empty and was not created by dossier",
                out.display()
            )
        );
        assert!(snapshot(&out) == before);
    }

    #[test]
    fn the_dossier_root_and_its_sources_are_refused() {
        let f = Fixture::new("basic");
        for (out, expected) in [
            (f.root(), "it holds the dossier itself"),
            (f.dir.path().to_path_buf(), "it holds the dossier itself"),
            (f.path("content/site"), "which holds the dossier's sources"),
        ] {
            let before = snapshot(f.dir.path());
            let mut options = f.options();
            options.output = Some(out.clone());
            let e = only_error(&dossier::build(&options));
            assert_eq!(e.code, "E500");
            assert!(
                e.message.contains(expected),
                "{}: {}",
                out.display(),
                e.message
            );
            assert!(
                snapshot(f.dir.path()) == before,
                "{} changed",
                out.display()
            );
        }
    }

    #[test]
    fn a_marked_output_is_replaced_keeping_its_git_folder() {
        let f = Fixture::new("basic");
        f.build_ok();
        std::fs::create_dir_all(f.out().join(".git")).unwrap();
        std::fs::write(f.out().join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
        std::fs::write(f.out().join("stale.html"), "old").unwrap();
        f.build_ok();
        assert_eq!(
            std::fs::read_to_string(f.out().join(".git/HEAD")).unwrap(),
            "ref: refs/heads/gh-pages\n"
        );
        assert!(
            !f.out().join("stale.html").exists(),
            "the old output was replaced"
        );
        assert!(f.out().join("index.html").is_file());
        let leftovers: Vec<_> = std::fs::read_dir(f.root())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("dossier-"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "temporary folders left behind: {leftovers:?}"
        );
    }

    #[test]
    fn an_empty_existing_folder_is_used() {
        let f = Fixture::new("basic");
        std::fs::create_dir_all(f.out()).unwrap();
        f.build_ok();
        assert!(f.out().join(dossier::write::MARKER).is_file());
    }
}

#[test]
fn a_broken_link_in_a_sidecars_notes_is_located_in_the_sidecar() {
    let (_, e) = error_after(|f| {
        f.edit(
            "seeds/alpha.yaml",
            "Editor's *remark* about the source.",
            "Editor's *remark*, see [the legacy text](seed:legasy#p1).",
        )
    });
    assert_at(&e, "E301", "seeds/alpha.yaml", 11, 44);
    assert_eq!(e.message, "no seed with the id `legasy`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `seed:legacy`?"));
}

/// The hint of every invalid date, for the field `key`.
fn date_hint(key: &str) -> String {
    format!("write `{key}` as YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date and time (2018-10-22T14:03:00Z, 2018-10-22T14:03:00+02:00)")
}

/// `written` as a page's `date`, a sidecar's `published` (quoted, as YAML allows) and its
/// `retrieved` (with a comment after it): each time the one error, at the value, says `message`.
fn assert_bad_date(written: &str, message: &str) {
    let (_, e) = error_after(|f| {
        f.edit(
            "content/essays/one.md",
            "date: 2024-01-02",
            &format!("date: {written}"),
        )
    });
    assert_at(&e, "E300", "content/essays/one.md", 3, 7);
    assert_eq!(e.message, message);
    assert_eq!(e.hint, Some(date_hint("date")));
    assert_eq!(&e.location.source_line[e.location.marked.clone()], written);

    let (_, e) = error_after(|f| {
        f.edit(
            "seeds/alpha.yaml",
            "published: 2019-03",
            &format!("published: \"{written}\""),
        )
    });
    assert_at(&e, "E201", "seeds/alpha.yaml", 5, 12);
    assert_eq!(e.message, message);
    assert_eq!(e.hint, Some(date_hint("published")));
    let quoted = format!("\"{written}\"");
    assert_eq!(&e.location.source_line[e.location.marked.clone()], quoted);

    let (_, e) = error_after(|f| {
        f.edit(
            "seeds/alpha.yaml",
            "url:",
            &format!("retrieved:   {written}  # when we saw it\nurl:"),
        )
    });
    assert_at(&e, "E201", "seeds/alpha.yaml", 6, 14);
    assert_eq!(e.message, message);
    assert_eq!(e.hint, Some(date_hint("retrieved")));
    assert_eq!(&e.location.source_line[e.location.marked.clone()], written);
}

#[test]
fn a_date_with_month_13_is_located_at_its_value() {
    assert_bad_date("2018-13", "`2018-13` is not a date: there is no month 13");
}

#[test]
fn a_day_past_the_end_of_its_month_is_an_error() {
    assert_bad_date(
        "2018-02-30",
        "`2018-02-30` is not a date: 2018-02 has 28 days",
    );
}

#[test]
fn a_word_is_not_a_date() {
    assert_bad_date("yesterday", "`yesterday` is not a date");
}

#[test]
fn a_day_first_date_is_not_a_date() {
    assert_bad_date("18-10-2018", "`18-10-2018` is not a date");
}

#[test]
fn a_time_without_an_offset_is_not_a_date() {
    assert_bad_date(
        "2018-10-22T14:03:00",
        "`2018-10-22T14:03:00` is not a date: a time needs a UTC offset, such as `Z` or `+02:00`",
    );
}

#[test]
fn bad_dates_are_all_reported_and_their_files_still_load() {
    let f = Fixture::new("basic");
    f.edit(
        "content/essays/one.md",
        "date: 2024-01-02",
        "date: 2024-02-30",
    );
    // The rest of each file still counts: two.md is still a draft (so links to it fail) and
    // alpha.yaml still pins alpha.txt (so an altered byte fails).
    f.edit(
        "content/essays/two.md",
        "weight: 2",
        "weight: 2\ndate: soon\ndraft: true",
    );
    f.edit(
        "seeds/alpha.yaml",
        "published: 2019-03",
        "published: 2019-3-1x",
    );
    f.edit("seeds/alpha.yaml", "url:", "retrieved: 2020-00\nurl:");
    f.edit("seeds/alpha.txt", "First", "Fist");
    let diags = f.build();
    let errors: Vec<String> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let l = &d.location;
            format!(
                "{} {}:{}:{} {}",
                d.code, l.file, l.line, l.column, d.message
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            "E300 content/essays/one.md:3:7 `2024-02-30` is not a date: 2024-02 has 29 days",
            "E301 content/essays/one.md:10:11 `two.md` is not a page or seed of this dossier (content/essays/two.md)",
            "E301 content/essays/one.md:10:36 no page `essays/two`",
            "E300 content/essays/two.md:4:7 `soon` is not a date",
            "E201 seeds/alpha.yaml:5:12 `2019-3-1x` is not a date",
            "E201 seeds/alpha.yaml:6:12 `2020-00` is not a date: there is no month 0",
            "E202 seeds/alpha.yaml:8:1 seeds/alpha.txt no longer matches its recorded sha256: the source was altered",
        ]
    );
}

#[test]
fn a_missing_root_folder_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dossier");
    let diags = dossier::build(&dossier::BuildOptions::new(missing.clone()));
    let e = only_error(&diags);
    assert_eq!(e.code, "E100");
    assert_eq!(e.location.file, missing.display().to_string());
    assert_eq!(e.message, format!("no folder {}", missing.display()));
    assert_eq!(
        e.hint,
        Some(format!(
            "check the path given to `--root`; `dossier init {}` creates a dossier there",
            missing.display()
        ))
    );
}

#[test]
fn an_unclosed_quote_in_front_matter_points_where_it_opens() {
    let (_, e) = error_after(|f| f.edit("content/essays/two.md", "\"Essay two\"", "\"Essay two"));
    assert_at(&e, "E300", "content/essays/two.md", 2, 8);
    assert_eq!(
        e.message,
        "found unexpected end of stream, while scanning a quoted scalar"
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("the quotation mark opened here is never closed")
    );
}

#[test]
fn a_language_name_is_not_a_language_tag() {
    let (_, e) = error_after(|f| f.edit("dossier.yaml", "language: en", "language: english"));
    assert_at(&e, "E100", "dossier.yaml", 3, 1);
    assert_eq!(e.message, "`english` is not a BCP 47 language tag");
    assert_eq!(
        e.hint.as_deref(),
        Some("write the language's tag, `en`, not its name")
    );
    let (_, e) = error_after(|f| {
        f.edit(
            "seeds/alpha.yaml",
            "kind: news-report\n",
            "kind: news-report\nlanguage: en_GB\n",
        )
    });
    assert_at(&e, "E201", "seeds/alpha.yaml", 4, 1);
    assert_eq!(e.message, "`en_GB` is not a BCP 47 language tag");
    assert_eq!(
        e.hint.as_deref(),
        Some("use a BCP 47 tag such as `en`, `en-GB`, `sv` or `pt-BR`")
    );
}
