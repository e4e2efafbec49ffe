//! Realistic European company names.
//!
//! Names come from templates per language and sector (`Ferramenta {S} & Figli S.r.l.`)
//! filled with surnames, cities and nicknames. The lists deliberately contain accents,
//! apostrophes, commas (`Müller, Schmidt GmbH`) and quotes (`Boulangerie "Le Fournil"
//! SARL`): the data must exercise a reader's CSV quoting and UTF-8 handling.

use rustc_hash::FxHashSet;

use super::rng::Rng;

/// The language a customer's name (and usually its market) belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Language {
    Italian,
    German,
    French,
    Spanish,
}

impl Language {
    /// Draws a language: mostly Italian (the wholesaler is Italian), some foreign.
    pub fn draw(rng: &mut Rng) -> Language {
        match rng.weighted(&[70.0, 12.0, 10.0, 8.0]) {
            0 => Language::Italian,
            1 => Language::German,
            2 => Language::French,
            _ => Language::Spanish,
        }
    }

    fn pack(self) -> &'static Pack {
        match self {
            Language::Italian => &ITALIAN,
            Language::German => &GERMAN,
            Language::French => &FRENCH,
            Language::Spanish => &SPANISH,
        }
    }
}

/// Word lists and templates of one language. Templates are indexed like
/// [`super::profile::SECTORS`]; `{S}`/`{T}` are two surnames, `{C}` a city, `{N}` a nickname.
struct Pack {
    surnames: &'static [&'static str],
    cities: &'static [&'static str],
    nicknames: &'static [&'static str],
    templates: [&'static [&'static str]; 7],
}

/// Hands out company names, keeping them unique within one customer master.
#[derive(Default)]
pub(crate) struct NameBook {
    used: FxHashSet<String>,
}

impl NameBook {
    /// A fresh name for a company of `sector` (index into `SECTORS`).
    ///
    /// Real masters rarely repeat a name exactly, so after a few collisions the city
    /// is appended, as ERPs do for branches (`Rossi S.r.l. (Bari)`).
    pub fn name(&mut self, rng: &mut Rng, language: Language, sector: usize) -> String {
        let pack = language.pack();
        let mut name = fill(rng, pack, sector);
        for _ in 0..6 {
            if !self.used.contains(&name) {
                break;
            }
            name = fill(rng, pack, sector);
        }
        let mut suffix = 2;
        while self.used.contains(&name) {
            name = format!("{name} ({})", rng.pick(pack.cities));
            if self.used.contains(&name) {
                name = format!("{name} {suffix}");
                suffix += 1;
            }
        }
        self.used.insert(name.clone());
        name
    }
}

/// One name from a random template of the sector.
fn fill(rng: &mut Rng, pack: &Pack, sector: usize) -> String {
    let template = *rng.pick(pack.templates[sector]);
    let first = *rng.pick(pack.surnames);
    let mut second = *rng.pick(pack.surnames);
    while second == first {
        second = *rng.pick(pack.surnames);
    }
    let city = *rng.pick(pack.cities);
    let nickname = *rng.pick(pack.nicknames);
    template
        .replace("{S}", first)
        .replace("{T}", second)
        .replace("{C}", city)
        .replace("{N}", nickname)
}

static ITALIAN: Pack = Pack {
    surnames: &[
        "Rossi",
        "Bianchi",
        "Ferrari",
        "Esposito",
        "Romano",
        "Colombo",
        "Ricci",
        "Marino",
        "Greco",
        "Bruno",
        "Gallo",
        "Conti",
        "De Luca",
        "Mancini",
        "Costa",
        "Giordano",
        "Rizzo",
        "Lombardi",
        "Moretti",
        "Barbieri",
        "Fontana",
        "Santoro",
        "Mariani",
        "Rinaldi",
        "Caruso",
        "Ferrara",
        "Galli",
        "Martini",
        "Leone",
        "Longo",
        "Gentile",
        "Martinelli",
        "Vitale",
        "Serra",
        "Coppola",
        "De Santis",
        "D'Angelo",
        "Marchetti",
        "Parisi",
        "Villa",
        "Ferraro",
        "Fabbri",
        "Marini",
        "Grasso",
        "Valentini",
        "Messina",
        "Sala",
        "Pellegrini",
        "Palumbo",
        "Sanna",
        "Farina",
        "Monti",
        "Cattaneo",
        "Morelli",
        "Amato",
        "Silvestri",
        "Testa",
        "Dell'Acqua",
        "Abbà",
        "Bonfà",
        "Canè",
    ],
    cities: &[
        "Torino", "Milano", "Bergamo", "Brescia", "Verona", "Padova", "Bologna", "Firenze",
        "Perugia", "Ancona", "Pescara", "Bari", "Napoli", "Lecce", "Palermo", "Catania",
        "Cagliari", "Sassari", "Forlì", "Cantù", "Nardò", "Aosta", "Trento", "Udine",
    ],
    nicknames: &[
        "La Pergola",
        "Il Faro",
        "San Marco",
        "Villa Serena",
        "Il Girasole",
        "La Quercia",
        "Santa Chiara",
        "Bella Vista",
        "Il Mulino",
        "Città Giardino",
        "Le Querce",
        "Sant'Anna",
    ],
    templates: [
        &[
            "Edil {S} S.r.l.",
            "Costruzioni {S} & {T} S.n.c.",
            "Impresa Edile {S} S.r.l.",
            "{S} Costruzioni S.p.A.",
            "Edilizia {S} di {T} & C. S.a.s.",
        ],
        &[
            "Hotel \"{N}\" di {S} S.a.s.",
            "Ristorante \"{N}\" S.r.l.",
            "Albergo {S} S.n.c.",
            "Trattoria \"{N}\" di {S}",
            "Pasticceria {S} S.r.l.",
        ],
        &[
            "Ferramenta {S} & Figli S.r.l.",
            "Ferramenta {S} S.n.c.",
            "Colorificio {S} S.r.l.",
            "Brico {S} S.r.l.",
            "Emporio {S} di {T} & C. S.a.s.",
        ],
        &[
            "Officine Meccaniche {S} S.p.A.",
            "{S} Industrie S.p.A.",
            "Carpenteria {S} S.r.l.",
            "Mobilificio {S} & {T} S.r.l.",
            "{S} Automazioni S.r.l.",
        ],
        &[
            "Casa di Cura \"{N}\" S.r.l.",
            "Farmacia {S} S.n.c.",
            "Clinica {S} S.p.A.",
            "RSA \"{N}\" Società Cooperativa",
            "Poliambulatorio {S} S.r.l.",
        ],
        &[
            "Società Agricola {S}",
            "Azienda Agricola {S} & {T}",
            "Cantina {S} S.r.l.",
            "Consorzio Agrario di {C}",
            "Cooperativa Agricola \"{N}\"",
        ],
        &[
            "Comune di {C}",
            "Provincia di {C}",
            "Università degli Studi di {C}",
            "Istituto Comprensivo \"{N}\"",
            "Azienda Ospedaliera di {C}",
        ],
    ],
};

static GERMAN: Pack = Pack {
    surnames: &[
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Schäfer",
        "Koch",
        "Bauer",
        "Richter",
        "Klein",
        "Wolf",
        "Schröder",
        "Neumann",
        "Schwarz",
        "Zimmermann",
        "Braun",
        "Krüger",
        "Hartmann",
        "Lange",
        "Werner",
        "Köhler",
        "Günther",
        "Weiß",
        "Jäger",
        "Huber",
        "Gruber",
        "Pichler",
        "Mair",
        "Kößler",
        "Thaler",
        "Öttl",
    ],
    cities: &[
        "München",
        "Köln",
        "Stuttgart",
        "Nürnberg",
        "Bozen",
        "Meran",
        "Innsbruck",
        "Graz",
        "Würzburg",
        "Düsseldorf",
        "Brixen",
        "Salzburg",
    ],
    nicknames: &["Zur Post", "Zum Löwen", "Alpenblick", "Sonnenhof", "Zum Hirschen", "Edelweiß"],
    templates: [
        &["{S} Bau GmbH", "{S}, {T} Bauunternehmung GmbH & Co. KG", "Hochbau {S} AG"],
        &["Gasthof \"{N}\" {S} KG", "Hotel {S} GmbH", "Bäckerei {S} e.K."],
        &["Eisenwaren {S} GmbH", "{S}, {T} GmbH", "Baumarkt {S} KG"],
        &["{S} Maschinenbau GmbH", "{S} & Söhne GmbH", "Metallbau {S} AG", "{S}, {T} OHG"],
        &["Klinikum {C} gGmbH", "Praxisbedarf {S} GmbH", "Pflegeheim \"{N}\" e.V."],
        &["Landhandel {S} GmbH", "Weingut {S}", "Obstbau {S} & Söhne"],
        &["Gemeinde {C}", "Stadtwerke {C} GmbH", "Landratsamt {C}"],
    ],
};

static FRENCH: Pack = Pack {
    surnames: &[
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Simon",
        "Laurent",
        "Lefèvre",
        "Michel",
        "David",
        "Bertrand",
        "Roux",
        "Vincent",
        "Fournier",
        "Morel",
        "Girard",
        "André",
        "Mercier",
        "Dupont",
        "Lambert",
        "Bonnet",
        "François",
        "Legrand",
        "Garnier",
        "Faure",
        "Rousseau",
        "Blanc",
        "Guérin",
        "Clément",
        "Gérard",
        "Noël",
        "Hébert",
        "Chevalier",
    ],
    cities: &[
        "Lyon",
        "Grenoble",
        "Nice",
        "Marseille",
        "Annecy",
        "Chambéry",
        "Besançon",
        "Montpellier",
        "Toulouse",
        "Nîmes",
        "Orléans",
        "Genève",
    ],
    nicknames: &[
        "Le Fournil",
        "Les Tilleuls",
        "Le Relais",
        "La Belle Époque",
        "Saint-Éloi",
        "Les Glycines",
        "Le Moulin",
    ],
    templates: [
        &["{S} Bâtiment SARL", "Entreprise {S} et Fils SAS", "{S} & {T} Construction SA"],
        &["Boulangerie \"{N}\" SARL", "Hôtel \"{N}\" SAS", "Brasserie {S} SARL"],
        &["Quincaillerie {S} SARL", "Bricolage {S} et Cie", "Droguerie {S}, {T} SAS"],
        &["Ateliers {S} SA", "Mécanique {S} SAS", "Usinage {S}, {T} et Associés SARL"],
        &["Pharmacie {S} SELARL", "Clinique \"{N}\" SA", "EHPAD \"{N}\""],
        &["GAEC {S}", "Domaine {S} SCEA", "Coopérative Agricole de {C}"],
        &["Mairie de {C}", "Communauté de Communes de {C}", "Lycée \"{N}\""],
    ],
};

static SPANISH: Pack = Pack {
    surnames: &[
        "García",
        "Fernández",
        "González",
        "Rodríguez",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Jiménez",
        "Ruiz",
        "Hernández",
        "Díaz",
        "Moreno",
        "Muñoz",
        "Álvarez",
        "Romero",
        "Alonso",
        "Gutiérrez",
        "Navarro",
        "Torres",
        "Domínguez",
        "Vázquez",
        "Ramos",
        "Serrano",
        "Molina",
        "Suárez",
        "Ortega",
        "Delgado",
        "Castro",
        "Núñez",
        "Iglesias",
        "Cortés",
        "Ibáñez",
        "Durán",
        "Benítez",
    ],
    cities: &[
        "Valencia", "Sevilla", "Zaragoza", "Málaga", "Córdoba", "Bilbao", "Alicante", "Murcia",
        "Cádiz", "León", "Logroño", "Gijón",
    ],
    nicknames: &["La Espiga", "El Mirador", "San José", "Los Olivos", "La Alameda", "El Molino"],
    templates: [
        &["Construcciones {S} S.L.", "{S} y {T} Obras S.A.", "Reformas {S} S.L.U."],
        &["Hostal \"{N}\" S.L.", "Restaurante {S} S.L.", "Panadería \"{N}\" S.C."],
        &["Ferretería {S} S.L.", "Distribuciones {S} S.L.", "Suministros {S} e Hijos S.A."],
        &["Talleres {S} S.A.", "Metalúrgica {S} S.L.", "Industrias {S}, {T} S.A."],
        &["Farmacia {S} C.B.", "Clínica \"{N}\" S.L.", "Residencia \"{N}\""],
        &["Bodegas {S} S.A.", "Cooperativa Agrícola de {C}", "Hermanos {S} S.C."],
        &["Ayuntamiento de {C}", "Diputación de {C}", "Hospital Universitario de {C}"],
    ],
};
