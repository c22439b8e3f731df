//! The command line's conventions in one place: the clap tree with an example per command and
//! the exit codes (`--help`), closed lists offered as choices, shell completions, the man
//! page, and usage errors as one JSON line under `--json`.

use super::{Cli, exit};
use crate::i18n::Lang;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};
use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::process::ExitCode;

/// The exit statuses, listed under the top-level `--help` (and in the man page).
const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  error: bad input, a refused rule, a missing or damaged file (nothing was written)
  2  usage: unknown command or flag, missing or invalid flag value
  3  conflict: someone else changed or moved the record since you read it (nothing was written)
  4  not found: no such record
  5  busy: another user held the file past the wait limit (nothing was written)";

/// Heading of the options every command takes (`--db`, `--user`, `--json`, `--lang`,
/// `--config`), apart from the command's own.
pub const GLOBAL: &str = "Global options";

/// One example (or a few) per command, by its path below `prospect`.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "lead add",
        "prospect lead add --title \"Website enquiry\" --phone \"06 12 34 56 78\" --source WEB\n  echo '{\"title\": \"Call back\"}' | prospect lead add -",
    ),
    (
        "lead list",
        "prospect lead list --stage NEW --mine --limit 20\n  prospect lead list --sort amount --reverse --json\n  prospect lead list --where \"budget>=10000\" --where \"interest=CRM|ERP\" --sort budget --columns budget --total\n  prospect lead list --view \"My leads\"",
    ),
    ("lead show", "prospect lead show 12 --timeline 50"),
    ("lead edit", "prospect lead edit 12 --amount \"1 234,50\" --add-phone \"mobile:06 98 76 54 32\""),
    (
        "lead move",
        "prospect lead move 12 IN_PROCESS\n  prospect lead move 12 JUNK --reason \"no budget\" --if-version 4",
    ),
    ("lead open", "prospect lead open 12\n  prospect lead open 12 email --print"),
    ("lead comment", "prospect lead comment 12 \"Called, will send a quote\""),
    ("lead delete", "prospect lead delete 12 --if-version 4"),
    ("lead convert", "prospect lead convert 12 --to deal,contact,company"),
    ("lead merge", "prospect lead merge 12 15 --prefer keep"),
    ("lead take", "prospect lead take 12"),
    ("contact add", "prospect contact add --first-name Anne --last-name Martin --email anne@acme.example"),
    ("contact list", "prospect contact list --search martin"),
    ("contact show", "prospect contact show 7"),
    ("contact edit", "prospect contact edit 7 --position CTO --company Acme"),
    ("contact open", "prospect contact open 7 phone --nth 2"),
    ("contact comment", "prospect contact comment 7 \"Prefers e-mail\""),
    ("contact delete", "prospect contact delete 7"),
    ("contact merge", "prospect contact merge 7 9 --prefer other"),
    ("company add", "prospect company add --title Acme --industry Retail --employees 50-249"),
    ("company list", "prospect company list --responsible alice"),
    ("company show", "prospect company show 3"),
    ("company edit", "prospect company edit 3 --revenue 2000000 --currency EUR"),
    ("company open", "prospect company open 3 web"),
    ("company comment", "prospect company comment 3 \"New head office\""),
    ("company delete", "prospect company delete 3"),
    ("company merge", "prospect company merge 3 8"),
    ("deal add", "prospect deal add --title \"Acme renewal\" --amount 12000 --company Acme"),
    ("deal list", "prospect deal list --pipeline General --stage NEW"),
    ("deal show", "prospect deal show 4"),
    ("deal edit", "prospect deal edit 4 --probability 80"),
    ("deal move", "prospect deal move 4 WON"),
    ("deal open", "prospect deal open 4 email"),
    ("deal comment", "prospect deal comment 4 \"Signed by the CFO\""),
    ("deal delete", "prospect deal delete 4"),
    (
        "report forecast",
        "prospect report forecast\n  prospect report forecast --pipeline General --by responsible --csv",
    ),
    (
        "report conversion",
        "prospect report conversion --period quarter --by source\n  prospect report conversion --from 01/11/2026 --to 30/11/2026 --json",
    ),
    ("report stale", "prospect report stale\n  prospect report stale --entity lead --csv"),
    (
        "report funnel",
        "prospect report funnel --period quarter\n  prospect report funnel --entity deal --pipeline General --by department --json",
    ),
    (
        "report activity",
        "prospect report activity --period week\n  prospect report activity --from 01/11/2026 --to 30/11/2026 --by department --csv",
    ),
    ("lost-reason list", "prospect lost-reason list"),
    ("lost-reason add", "prospect lost-reason add \"Went silent\" --fr \"Plus de nouvelles\""),
    ("lost-reason remove", "prospect lost-reason remove \"Went silent\""),
    ("report lost-reasons", "prospect report lost-reasons --period quarter --csv"),
    ("remind", "prospect remind --due\n  prospect remind --due --json"),
    (
        "rule add",
        "prospect rule add --stage IN_PROCESS --plan call --subject \"Call {client}\" --in 1d --set priority=high\n  prospect rule add --entity deal --stage PREPARATION --when \"amount>=10000\" --assign bob --on-error skip\n  prospect rule add --entity deal --stage LOSE --move-linked IN_PROCESS\n  prospect rule add --stage IN_PROCESS --assign queue",
    ),
    ("rule list", "prospect rule list --entity lead"),
    ("rule show", "prospect rule show 1"),
    ("rule edit", "prospect rule edit 1 --when priority=high --on-error skip"),
    ("rule delete", "prospect rule delete 1"),
    ("rule enable", "prospect rule enable 1"),
    ("rule disable", "prospect rule disable 1"),
    (
        "report won-lost",
        "prospect report won-lost --period quarter\n  prospect report won-lost --from 01/10/2026 --to 31/12/2026 --by source --format md",
    ),
    ("stage list", "prospect stage list\n  prospect stage list --entity deal --pipeline General"),
    ("stage add", "prospect stage add \"Quote sent\" --position 3\n  prospect stage add Lost --semantics failure"),
    ("stage rename", "prospect stage rename IN_PROCESS \"Being handled\""),
    (
        "stage terms",
        "prospect stage terms PREPARATION --entity deal --probability 60 --rotting 14\n  prospect stage terms NEW --entity deal --probability default --rotting never",
    ),
    ("stage recolor", "prospect stage recolor NEW \"#39a8ef\""),
    ("stage reorder", "prospect stage reorder PROCESSED 2"),
    ("stage delete", "prospect stage delete PROCESSED --move-to IN_PROCESS"),
    ("pipeline list", "prospect pipeline list"),
    ("pipeline add", "prospect pipeline add \"Partners\""),
    ("pipeline rename", "prospect pipeline rename Partners \"Partner sales\""),
    ("pipeline delete", "prospect pipeline delete \"Partner sales\" --to General"),
    ("source list", "prospect source list"),
    ("source add", "prospect source add \"Trade fair 2026\" --code FAIR26"),
    ("source rename", "prospect source rename FAIR26 \"Trade fair (spring 2026)\""),
    ("source reorder", "prospect source reorder FAIR26 1"),
    ("source delete", "prospect source delete FAIR26 --to TRADE_SHOW"),
    (
        "user add",
        "prospect user add bob --name \"Bob Martin\" --department Sales --role Manager\n  prospect user add carol --admin",
    ),
    ("user edit", "prospect user edit bob --role Head --role Observer --department \"Sales East\""),
    ("user list", "prospect user list --json"),
    ("user deactivate", "prospect user deactivate bob"),
    ("user activate", "prospect user activate bob"),
    ("role list", "prospect role list"),
    ("role show", "prospect role show Manager --json"),
    ("role set", "prospect role set Manager --entity lead --action read --level department"),
    ("role add", "prospect role add Interns --like Manager"),
    ("role delete", "prospect role delete Interns"),
    ("department list", "prospect department list"),
    ("department add", "prospect department add \"Sales East\" --parent Sales"),
    ("field list", "prospect field list --entity lead"),
    (
        "field add",
        "prospect field add --entity lead interest --type list --label \"Product of interest\" --label-fr \"Produit souhaité\" --options \"CRM,ERP\" --required-from \"In progress\"\n  prospect field add --entity deal budget --type money --in-list",
    ),
    ("field edit", "prospect field edit --entity lead interest --options \"CRM,ERP,Support\" --section Qualification"),
    ("field delete", "prospect field delete --entity lead interest --force"),
    (
        "view save",
        "prospect view save --entity lead \"Big budgets\" --shared --where \"budget>=10000\" --sort budget --reverse --columns budget,interest",
    ),
    ("view list", "prospect view list --entity lead"),
    ("view delete", "prospect view delete --entity lead \"Big budgets\""),
    ("section list", "prospect section list --entity lead"),
    ("section add", "prospect section add --entity lead qualification --label Qualification --label-fr Qualification"),
    ("section rename", "prospect section rename --entity lead more --label \"Other\" --label-fr \"Autres\""),
    ("section reorder", "prospect section reorder --entity lead main,qualification,person"),
    ("section delete", "prospect section delete --entity lead qualification --to more"),
    ("section move", "prospect section move --entity lead source qualification"),
    ("section hide", "prospect section hide --entity lead birth_date"),
    ("section show", "prospect section show --entity lead birth_date"),
    (
        "activity add",
        "prospect activity add --lead 12 --kind call --at \"tomorrow 9h\" --subject \"Follow up\"\n  prospect activity add --deal 4 --kind meeting --at \"2026-11-24 14:30\" --duration 1h",
    ),
    ("activity list", "prospect activity list --bucket today\n  prospect activity list --lead 12 --all"),
    ("activity done", "prospect activity done 31"),
    ("activity edit", "prospect activity edit 31 --at \"next monday 10h\""),
    ("activity delete", "prospect activity delete 31"),
    ("activity export", "prospect activity export --ics --out agenda.ics"),
    ("status", "prospect status --json"),
    ("calendar", "prospect calendar --month 2026-12 --by deal:close_date"),
    (
        "product add",
        "prospect product add --name \"Consulting\" --code CONS --price 600 --tax 20 --unit h\n  prospect product add --name Support --price 99 --currency USD --tax 0",
    ),
    ("product list", "prospect product list --all --json"),
    ("quote add", "prospect quote add --deal 7"),
    ("quote list", "prospect quote list --deal 7 --status sent"),
    ("quote show", "prospect quote show 3 --json"),
    ("quote edit", "prospect quote edit 3 --notes \"Delivery in January\" --valid-until 31/01/2027"),
    ("quote status", "prospect quote status 3 sent\n  prospect quote status 3 approved"),
    ("quote delete", "prospect quote delete 3"),
    (
        "quote render",
        "prospect quote render 3 --format pdf --out devis.pdf --lang fr\n  prospect quote render 3 --out quote.html",
    ),
    ("invoice render", "prospect invoice render 4 --out F-2026-00042.pdf"),
    (
        "quote send",
        "prospect quote send 3 --out devis.eml\n  prospect quote send 3 --out quote.eml --to buyer@example.com",
    ),
    ("invoice send", "prospect invoice send 4 --out facture.eml --lang fr"),
    ("invoice add", "prospect invoice add --quote 3\n  prospect invoice add --deal 7"),
    ("invoice list", "prospect invoice list --status issued --json"),
    ("invoice show", "prospect invoice show 4"),
    ("invoice edit", "prospect invoice edit 4 --due-date 2027-01-31"),
    ("invoice issue", "prospect invoice issue 4"),
    ("invoice status", "prospect invoice status 4 paid"),
    ("invoice cancel", "prospect invoice cancel 4"),
    ("invoice delete", "prospect invoice delete 4"),
    ("company-details show", "prospect company-details show --json"),
    (
        "company-details set",
        "prospect company-details set --name \"Prospect SAS\" --siren \"123 456 789\" --vat FR12123456789 --iban \"FR76 3000 6000 0112 3456 7890 189\" --address \"10 rue de la Paix\\n75002 Paris\"\n  prospect company-details set --invoice-pattern \"F-{year}-{seq:05}\" --payment-days 45",
    ),
    ("product show", "prospect product show CONS"),
    ("product edit", "prospect product edit CONS --price 650 --active no"),
    ("product delete", "prospect product delete CONS"),
    (
        "lead line add",
        "prospect lead line add 12 --product CONS --qty 1,5\n  prospect lead line add 12 --text \"Installation\" --price 250 --tax 20",
    ),
    ("lead line list", "prospect lead line list 12 --json"),
    ("lead line edit", "prospect lead line edit 12 1 --qty 2 --discount 10%"),
    ("lead line delete", "prospect lead line delete 12 1"),
    (
        "deal line add",
        "prospect deal line add 7 --product CONS --qty 3 --discount 10%\n  prospect deal line add 7 --text \"Travel\" --price \"120,50\" --discount 20",
    ),
    ("deal line list", "prospect deal line list 7"),
    ("deal line edit", "prospect deal line edit 7 2 --price 550 --tax 5,5"),
    ("deal line delete", "prospect deal line delete 7 2"),
    ("search", "prospect search acme\n  prospect search 06 12 34 56 78 --limit 5"),
    ("demo", "prospect --db demo.db demo --leads 10000"),
    ("dedup scan", "prospect dedup scan --entity contact"),
    ("db path", "prospect db path"),
    ("db check", "prospect db check --json"),
    ("db backup", "prospect db backup ~/backups/prospect-2026-12-05.db"),
    ("db vacuum", "prospect db vacuum"),
    (
        "db migrate-to",
        "prospect --db ~/prospect.db db migrate-to postgres://alice@server/prospect\n  prospect --db postgres://alice@server/prospect db migrate-to copy.db",
    ),
    (
        "import",
        "prospect import leads.csv --dry-run\n  prospect import contacts.csv --entity contact --map \"Tél. portable=phone\"\n  prospect import google-contacts.vcf\n  prospect import agenda.ics --lead 12\n  prospect import catalogue.csv --entity product",
    ),
    (
        "export",
        "prospect export --format csv --out leads.csv\n  prospect export --entity contact --format vcard --out contacts.vcf\n  prospect export --entity invoice --out invoices.csv\n  prospect export --entity product --format json",
    ),
    ("triage", "prospect triage"),
    ("queue show", "prospect queue show"),
    (
        "settings crm-mode",
        "prospect settings crm-mode\n  prospect settings crm-mode simple --open-leads convert\n  prospect settings crm-mode classic",
    ),
    ("queue set", "prospect queue set --mode even --users alice,bob"),
    ("intake email", "prospect intake email message.eml\n  prospect intake email --mbox inbox.mbox"),
    (
        "completions",
        "prospect completions bash > ~/.local/share/bash-completion/completions/prospect\n  prospect completions zsh > ~/.zfunc/_prospect",
    ),
    ("manpage", "prospect manpage > ~/.local/share/man/man1/prospect.1"),
];

/// The whole clap tree as parsed, helped, completed and printed as a man page: the derive's
/// commands with the exit codes and each command's examples attached.
pub fn command() -> clap::Command {
    examples(Cli::command().after_help(EXIT_CODES), "")
}

fn examples(mut cmd: clap::Command, path: &str) -> clap::Command {
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let here = if path.is_empty() { name.clone() } else { format!("{path} {name}") };
        cmd = cmd.mut_subcommand(&name, |sub| {
            let sub = match EXAMPLES.iter().find(|(p, _)| *p == here) {
                Some((_, text)) => sub.after_help(format!("Examples:\n  {text}")),
                None => sub,
            };
            examples(sub, &here)
        });
    }
    cmd
}

/// A closed list of values for clap: `--help` shows `[possible values: …]`, a mistyped value
/// gets clap's list, and the value comes back as its canonical name (case and the hidden
/// aliases folded), so the code behind it sees one spelling.
pub fn one_of(
    values: &'static [(&'static str, &'static [&'static str])],
) -> impl TypedValueParser<Value = String> + 'static {
    PossibleValuesParser::new(values.iter().map(|(name, aliases)| PossibleValue::new(*name).aliases(aliases.iter())))
        .map(move |typed: String| {
            values
                .iter()
                .find(|(n, a)| n.eq_ignore_ascii_case(&typed) || a.iter().any(|x| x.eq_ignore_ascii_case(&typed)))
                .map(|(n, _)| n.to_string())
                .unwrap_or(typed)
        })
}

/// `--lang`: `en` or `fr` as choices in `--help`; a locale such as `fr_FR.UTF-8` is accepted
/// too, as in `LANG`.
#[derive(Clone, Copy, Debug)]
pub struct LangParser;

impl TypedValueParser for LangParser {
    type Value = String;

    fn parse_ref(&self, cmd: &clap::Command, arg: Option<&clap::Arg>, value: &OsStr) -> Result<String, clap::Error> {
        let text = value.to_string_lossy();
        if Lang::parse(&text).is_some() {
            return Ok(text.into_owned());
        }
        let mut err = clap::Error::raw(
            ErrorKind::InvalidValue,
            format!("--lang: '{text}' is not a language Prospect speaks (en, fr)\n"),
        )
        .with_cmd(cmd);
        if let Some(a) = arg {
            err.insert(ContextKind::InvalidArg, ContextValue::String(format!("--{}", a.get_id())));
        }
        Err(err)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(["en", "fr"].into_iter().map(PossibleValue::new)))
    }
}

/// Parses the process arguments; on a usage error, prints it (as JSON when `--json` is among
/// them) and gives the exit status to end with. `--help` and `--version` print as usual and
/// end with 0.
pub fn parse(args: Vec<OsString>) -> Result<Cli, ExitCode> {
    let json = args.iter().take_while(|a| *a != "--").any(|a| a == "--json");
    let args_seen = args.clone();
    let err = match command().try_get_matches_from(args).and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    let kind = err.kind();
    if matches!(kind, ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || !json && kind == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    {
        let _ = err.print();
        return Err(ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(exit::USAGE)));
    }
    let mut stderr = std::io::stderr().lock();
    let _ = if json && kind == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        // Clap's text is the whole help here: say which command lacks what instead.
        let message = missing_subcommand(&args_seen);
        writeln!(stderr, "{}", serde_json::json!({"error": "usage", "field": null, "message": message}))
    } else if json {
        writeln!(stderr, "{}", usage_json(&err))
    } else {
        writeln!(stderr, "prospect: {} (--help lists what is accepted)", one_line(&err))
    };
    Err(ExitCode::from(exit::USAGE))
}

/// "`prospect lead` needs a command: add, list, …", following the words of `args` down the
/// command tree.
fn missing_subcommand(args: &[OsString]) -> String {
    let mut cmd = command();
    let mut path = vec!["prospect".to_string()];
    for a in args.iter().skip(1).filter_map(|a| a.to_str()) {
        let Some(sub) = cmd.find_subcommand(a).cloned() else { continue };
        path.push(sub.get_name().to_string());
        cmd = sub;
    }
    let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).filter(|n| *n != "help").collect();
    format!("`{}` needs a command: {}", path.join(" "), names.join(", "))
}

/// Clap's message on one line, without its usage block: what was wrong and, for a closed
/// list, the possible values.
fn one_line(err: &clap::Error) -> String {
    let text = err.render().to_string();
    let message = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    message.strip_prefix("error: ").unwrap_or(&message).to_string()
}

/// A usage error as `{"error": "usage", "field": …, "message": …}`: the flag or argument it
/// is about (without dashes or brackets) when clap knows it, and clap's text on one line.
fn usage_json(err: &clap::Error) -> serde_json::Value {
    let field = match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    }
    .map(|s| {
        let name = s.split([' ', '=']).next().unwrap_or_default();
        name.trim_start_matches('-').trim_matches(['<', '>', '.']).to_lowercase()
    });
    serde_json::json!({"error": "usage", "field": field, "message": one_line(err)})
}

/// `prospect completions SHELL`: the completion script on stdout.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut command(), "prospect", &mut out);
    out.flush()?;
    Ok(())
}

/// `prospect manpage`: the manual page, roff, on stdout.
pub fn manpage() -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(command()).render(&mut out)?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let here = if path.is_empty() { sub.get_name().to_string() } else { format!("{path} {}", sub.get_name()) };
            if sub.has_subcommands() {
                leaves(sub, &here, out);
            } else {
                out.push(here);
            }
        }
    }

    #[test]
    fn every_command_has_an_example_and_every_example_a_command() {
        let mut all = Vec::new();
        leaves(&Cli::command(), "", &mut all);
        let missing: Vec<_> = all.iter().filter(|p| !EXAMPLES.iter().any(|(e, _)| e == p)).collect();
        assert!(missing.is_empty(), "commands without an example: {missing:?}");
        let stale: Vec<_> = EXAMPLES.iter().filter(|(e, _)| !all.iter().any(|p| p == e)).collect();
        assert!(stale.is_empty(), "examples of no command: {stale:?}");
    }

    /// Splits an example line as a shell would (quotes, no expansions), from `prospect` up to
    /// a redirection.
    fn words(line: &str) -> Vec<String> {
        let start = line.find("prospect").unwrap_or(0);
        let line = &line[start..];
        let line = line.split(" >").next().unwrap_or(line);
        let (mut out, mut word, mut quote, mut any) = (Vec::new(), String::new(), None, false);
        for c in line.chars() {
            match (quote, c) {
                (None, '"' | '\'') => (quote, any) = (Some(c), true),
                (Some(q), c) if c == q => quote = None,
                (None, ' ') => {
                    if any {
                        out.push(std::mem::take(&mut word));
                    }
                    any = false;
                }
                (_, c) => (word, any) = (word + &c.to_string(), true),
            }
        }
        if any {
            out.push(word);
        }
        out
    }

    #[test]
    fn every_example_parses() {
        for (path, text) in EXAMPLES {
            for line in text.lines() {
                let args = words(line);
                assert!(args.len() > 1 && args[0] == "prospect", "{path}: {line}");
                if let Err(e) = command().try_get_matches_from(&args) {
                    panic!("{path}: {line}: {}", one_line(&e));
                }
            }
        }
    }

    #[test]
    fn the_tree_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn a_closed_list_folds_case_and_aliases_to_one_spelling() {
        let m = command().try_get_matches_from(["prospect", "queue", "set", "--mode", "Round-Robin"]).unwrap();
        let cli = Cli::from_arg_matches(&m).unwrap();
        let Some(super::super::Command::Queue(super::super::admin::QueueCmd::Set { mode, .. })) = cli.command else {
            panic!("{cli:?}")
        };
        assert_eq!(mode, "even");
    }

    #[test]
    fn usage_errors_name_the_flag() {
        let err = command().try_get_matches_from(["prospect", "lead", "list", "--limit", "x"]).unwrap_err();
        let j = usage_json(&err);
        assert_eq!(j["field"], "limit", "{j}");
        assert!(!j["message"].as_str().unwrap().contains('\n'), "{j}");
    }
}
