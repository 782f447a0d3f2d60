-- Linkscope sample graph file (graph file format, version 1).
--
-- Source: sample-db/article.txt, an English-language report that translates
-- excerpts of a Dari article by Hamid Ahmedi, "Security Cooperation Between
-- Russia And The Taliban: Why And How?", Ufuqnews.com (Afghanistan),
-- March 6, 2024. See sample-db/README.md for the citation, how paragraphs are
-- counted in locators, and how to rebuild sample.sqlite from this file.
--
-- Conventions used here:
--   * Every excerpt is a verbatim substring of sample-db/article.txt.
--   * Locator 'para N' is line N of article.txt (line 1 is the headline).
--   * The report's own narration is cited to document 1 (the English report);
--     passages it translates from Ahmedi's article are cited to document 2
--     (the Dari original) with locator 'as translated in the report, para N'.
--   * A claim that the report does not establish (the author's, or a quoted
--     official's) has a kind starting with 'alleged_', a label starting with
--     'allegedly', and properties {"claimed_by": ...}.
--   * A relation that rests only on the author's analysis but accuses no one
--     carries properties {"according_to": ...}.
--   * Relations 43 and 44 are implied by the text but stated by no passage;
--     they cite no excerpt and are shown as unsupported.
--   * Nothing the text does not say is recorded: the report's own publisher
--     and date are unknown, and the Doha Agreement and the withdrawal have no
--     dates here.

PRAGMA user_version = 1;

BEGIN;

CREATE TABLE entities (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,  -- 'actor' | 'organization' | 'event'; any other
                                -- value is allowed and drawn with a neutral style
    name        TEXT NOT NULL,
    description TEXT,           -- optional
    date_start  TEXT,           -- optional ISO 8601: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'
    date_end    TEXT,           -- optional, same form; events usually have one
    properties  TEXT            -- optional JSON object of extra key/value pairs
);

CREATE TABLE relations (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES entities(id),
    object_id   INTEGER NOT NULL REFERENCES entities(id),
    kind        TEXT NOT NULL,  -- machine word, e.g. 'met_with', 'leads', 'member_of'
    label       TEXT,           -- optional human phrase, e.g. 'met in Kabul with'
    date_start  TEXT,           -- optional, as for entities
    date_end    TEXT,
    properties  TEXT            -- optional JSON object
);

CREATE TABLE documents (           -- where evidence comes from
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    author      TEXT,
    publisher   TEXT,
    url         TEXT,           -- only http(s) URLs may ever be opened
    published   TEXT,           -- ISO 8601 date
    language    TEXT,           -- BCP 47 tag, e.g. 'en', 'prs' (Dari)
    reliability TEXT            -- optional source grade, Admiralty code 'A'..'F'
);

CREATE TABLE excerpts (            -- quoted passages that support relations
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    text        TEXT NOT NULL,
    locator     TEXT,           -- optional: 'para 4', 'p. 12', a timestamp
    credibility TEXT            -- optional information grade, Admiralty code '1'..'6'
);

CREATE TABLE relation_excerpts (   -- many-to-many: an edge may cite many excerpts
    relation_id INTEGER NOT NULL REFERENCES relations(id),
    excerpt_id  INTEGER NOT NULL REFERENCES excerpts(id),
    PRIMARY KEY (relation_id, excerpt_id)
);

-- ---------------------------------------------------------------------------
-- Entities
-- ---------------------------------------------------------------------------

-- People (kind 'actor')
INSERT INTO entities (id, kind, name, description, date_start, date_end, properties) VALUES
 (1, 'actor', 'Dmitry Zhirnov',
  'Russian Ambassador to Afghanistan; met Sirajuddin Haqqani in Kabul on March 5, 2024.',
  NULL, NULL, '{"role": "Russian Ambassador to Afghanistan"}'),
 (2, 'actor', 'Sirajuddin Haqqani',
  'Afghan Taliban (acting) Minister of Interior Affairs and head of the Haqqani Network; the report says he maintains close relations with various jihadi organizations in Afghanistan.',
  NULL, NULL, '{"role": "Acting Minister of Interior Affairs of the Taliban government; head of the Haqqani Network"}'),
 (3, 'actor', 'Hamid Ahmedi',
  'Author of the Dari-language Ufuq News article of March 6, 2024 that the report translates.',
  NULL, NULL, '{"role": "author"}'),
 (4, 'actor', 'Abdul Matin Qane',
  'Spokesman of the Taliban government’s Interior Ministry; described the Zhirnov–Haqqani meeting.',
  NULL, NULL, '{"role": "Interior Ministry spokesman"}'),
 (5, 'actor', 'Sergei Shoigu',
  'Russian Defense Minister; said Central Asia is threatened from Afghanistan and that ISIS seeks to spread radical ideas there.',
  NULL, NULL, '{"role": "Russian Defense Minister"}'),
 (6, 'actor', 'Nikolai Patrushev',
  'Secretary of the Security Council of Russia; said there are 20 terrorist organizations with 23,000 militants in Afghanistan.',
  NULL, NULL, '{"role": "Secretary of the Security Council of Russia"}');

-- Organizations (states count as organizations; "Moscow" and "Washington"
-- used for the governments are the same entities as Russia and the United States)
INSERT INTO entities (id, kind, name, description, date_start, date_end, properties) VALUES
 (7, 'organization', 'Russia',
  'The Russian state, also called “Moscow” in the article; worried about terrorism in Afghanistan and its export to Central Asia.',
  NULL, NULL, '{"type": "state", "also_called": ["Moscow", "the Russians"]}'),
 (8, 'organization', 'Taliban government',
  'The Afghan Taliban, whose government rules Afghanistan; the article speaks of both “the Taliban” and “the Taliban government”.',
  NULL, NULL, '{"also_called": ["Afghan Taliban", "the Taliban"]}'),
 (9, 'organization', 'Taliban Interior Ministry',
  'The Taliban government’s Interior Ministry; announced the meeting of its Acting Minister Sirajuddin Haqqani with Dmitry Zhirnov.',
  NULL, NULL, '{"head": "Sirajuddin Haqqani (acting)", "spokesman": "Abdul Matin Qane"}'),
 (10, 'organization', 'Haqqani Network',
  'The Afghan Taliban’s Haqqani Network, headed by Sirajuddin Haqqani; called “powerful” in the article.',
  NULL, NULL, '{"leader": "Sirajuddin Haqqani"}'),
 (11, 'organization', 'Islamic State (ISIS)',
  'Claimed responsibility for the March 22, 2024 Crocus City Hall attack; Shoigu said it seeks to spread radical ideas in Central Asia.',
  NULL, NULL, '{"also_called": ["ISIS"]}'),
 (12, 'organization', 'Ufuq News',
  'Afghan news outlet (Ufuqnews.com) that published Hamid Ahmedi’s article on March 6, 2024.',
  NULL, NULL, '{"website": "Ufuqnews.com", "country": "Afghanistan"}'),
 (13, 'organization', 'Collective Security Treaty Organization (CSTO)',
  'Named in Shoigu’s remark that ISIS carries out subversive activities along its southern borders.',
  NULL, NULL, NULL),
 (14, 'organization', 'Security Council of Russia',
  'Russian body whose secretary is Nikolai Patrushev.',
  NULL, NULL, '{"secretary": "Nikolai Patrushev"}'),
 (15, 'organization', 'United States',
  'Called “America”, “the U.S.”, “Washington” and “the Americans” in the article; Ahmedi writes that Moscow blames its strategic projects for the situation in Afghanistan.',
  NULL, NULL, '{"type": "state", "also_called": ["America", "U.S.", "Washington", "the Americans"]}'),
 (16, 'organization', 'NATO',
  'Left Afghanistan together with America; Ahmedi writes that the advanced weapons of NATO and America were handed over to the Taliban.',
  NULL, NULL, NULL),
 (17, 'organization', 'Pakistan',
  'Named in Ahmedi’s claim that Sirajuddin Haqqani is considered a trusted partner of the U.S. and Pakistan.',
  NULL, NULL, '{"type": "state"}'),
 (18, 'organization', 'China',
  'Named as a country that America and NATO are not thought likely to monitor again from bases in Afghanistan.',
  NULL, NULL, '{"type": "state"}'),
 (19, 'organization', 'Iran',
  'Named as a country that America and NATO are not thought likely to monitor again from bases in Afghanistan.',
  NULL, NULL, '{"type": "state"}');

-- Places (kind 'place', drawn with the neutral style)
INSERT INTO entities (id, kind, name, description, date_start, date_end, properties) VALUES
 (20, 'place', 'Afghanistan',
  'The country whose security situation the article examines; ruled by the Taliban.',
  NULL, NULL, '{"type": "country"}'),
 (21, 'place', 'Central Asia',
  'Region of Russia’s allies; the article speaks of the export of extremism from Afghanistan to Central Asia.',
  NULL, NULL, '{"type": "region", "also_called": ["the Central Asian countries"]}');

-- Events
INSERT INTO entities (id, kind, name, description, date_start, date_end, properties) VALUES
 (22, 'event', 'Zhirnov–Haqqani meeting in Kabul',
  'Meeting of Russian Ambassador Dmitry Zhirnov with Sirajuddin Haqqani, weeks before the Crocus City Hall attack.',
  '2024-03-05', '2024-03-05', '{"location": "Kabul"}'),
 (23, 'event', 'Crocus City Hall attack',
  'Attack on the Crocus City Hall music venue in Moscow, for which the Islamic State (ISIS) claimed responsibility.',
  '2024-03-22', '2024-03-22', '{"location": "Moscow", "venue": "Crocus City Hall music venue", "casualties": "approximately 144 killed"}'),
 (24, 'event', 'Publication of Ahmedi’s article in Ufuq News',
  'Ufuq News published Hamid Ahmedi’s article “Security Cooperation Between Russia And The Taliban: Why And How?” the day after the Kabul meeting.',
  '2024-03-06', '2024-03-06', '{"title": "Security Cooperation Between Russia And The Taliban: Why And How?", "language": "Dari"}'),
 (25, 'event', 'Doha Agreement',
  'Agreement the article names without a date or signatories; Ahmedi argues it did not end the American occupation of Afghanistan and led to the revival of terrorism there.',
  NULL, NULL, NULL),
 (26, 'event', 'Withdrawal of U.S.-led Western forces from Afghanistan',
  'America and NATO have left Afghanistan; the article gives no date.',
  NULL, NULL, '{"location": "Afghanistan"}'),
 (27, 'event', 'American occupation of Afghanistan',
  'Presence of America and NATO in Afghanistan; Ahmedi argues the Doha Agreement did not mean its end.',
  NULL, NULL, '{"location": "Afghanistan"}');

-- ---------------------------------------------------------------------------
-- Documents
-- ---------------------------------------------------------------------------
-- 1: the English report itself (sample-db/article.txt). It names neither its
--    publisher nor its date, so those stay NULL. Reliability 'F' (cannot be
--    judged): the publisher is unknown.
-- 2: the Dari original the report translates, as the report cites it:
--    "Ufuqnews.com (Afghanistan), March 6, 2024". The title is the report's
--    translation. No URL: the report gives only the site name. Reliability
--    'F': known only through the translation.
INSERT INTO documents (id, title, author, publisher, url, published, language, reliability) VALUES
 (1, 'Weeks Before Moscow Attack, Dari-Language Article In Afghan Media Examines Meeting Between Russian Ambassador And Sirajuddin Haqqani To Discuss Russian Security Concerns In Afghanistan',
  NULL, NULL, NULL, NULL, 'en', 'F'),
 (2, 'Security Cooperation Between Russia And The Taliban: Why And How?',
  'Hamid Ahmedi', 'Ufuq News', NULL, '2024-03-06', 'prs', 'F');

-- ---------------------------------------------------------------------------
-- Excerpts (verbatim substrings of sample-db/article.txt)
-- Credibility: '2' the report's or the article's statements of fact,
-- '3' the author's analysis and officials' reported views,
-- '4' the author's uncorroborated allegations.
-- ---------------------------------------------------------------------------

-- The report's own narration (document 1)
INSERT INTO excerpts (id, document_id, text, locator, credibility) VALUES
 (1, 1, 'On March 5, 2024, weeks before the March 22, 2024 attack on the Crocus City Hall music venue in Moscow, in which approximately 144 people were killed and for which the Islamic State (ISIS) claimed responsibility, Russian Ambassador to Afghanistan Dmitry Zhirnov met in Kabul with Sirajuddin Haqqani, who is Afghan Taliban Minister of Interior Affairs as well as being head of the Afghan Taliban’s Haqqani Network and maintaining close relations with various jihadi organizations in Afghanistan.',
  'para 2', '2'),
 (2, 1, 'the March 22, 2024 attack on the Crocus City Hall music venue in Moscow, in which approximately 144 people were killed and for which the Islamic State (ISIS) claimed responsibility',
  'para 2', '2'),
 (3, 1, 'Afghanistan’s Ufuq News published the next day an article by one Hamid Ahmedi titled “Security Cooperation Between Russia And The Taliban: Why And How?” examining the meeting.',
  'para 3', '2'),
 (4, 1, 'According to the article, the purpose of the meeting was to convey Russia’s concerns regarding the increasing terrorism in Afghanistan and region.',
  'para 3', '3'),
 (5, 1, '[1] Ufuqnews.com (Afghanistan), March 6, 2024.',
  'para 20 (footnote 1)', '2');

-- Passages translated from Ahmedi's article (document 2)
INSERT INTO excerpts (id, document_id, text, locator, credibility) VALUES
 (6, 2, 'The Taliban government’s Interior Ministry has announced a meeting of its Acting Minister Sirajuddin Haqqani with the Russian Ambassador in Kabul Dmitry Zhirnov.',
  'as translated in the report, para 6', '2'),
 (7, 2, 'Interior Ministry spokesman Abdul Matin Qane, said that Haqqani called for ‘creating more security cooperation’ in a conversation with the Russian ambassador. He also said that the two sides discussed the development of bilateral relations, and the situation in Afghanistan and the region.',
  'as translated in the report, para 6', '2'),
 (8, 2, 'Russia sees the situation in Afghanistan as a threat to its allies in Central Asia.',
  'as translated in the report, para 7', '3'),
 (9, 2, 'Russian Defense Minister Sergei Shoigu recently said that the situation in the Central Asian countries is still complicated due to the threats from Afghanistan. He said that ISIS seeks to spread radical ideas in Central Asia and carries out subversive activities along the southern borders of the Collective Security Treaty Organization.',
  'as translated in the report, para 7', '3'),
 (10, 2, 'Previously, Nikolai Patrushev, the secretary of the Security Council of Russia, also said that there are 20 terrorist organizations with 23,000 militants in Afghanistan.',
  'as translated in the report, para 8', '3'),
 (11, 2, 'These positions show that the Taliban’s rule over Afghanistan is not an opportunity for Moscow; rather, it is a threat – an immediate and direct threat that increases and strengthens as much as it continues and becomes more difficult to control.',
  'as translated in the report, para 8', '3'),
 (12, 2, 'This is so while America and NATO have left Afghanistan, and it is not thought that they will again occupy this country and establish permanent military bases and intelligence centers in Afghanistan to monitor China, Russia, and Iran.',
  'as translated in the report, para 9', '2'),
 (13, 2, 'So, despite the withdrawal of U.S.-led Western forces, why are the Russians still worried and why do they see the situation in Afghanistan as a threat to themselves and their strategic allies in the region?',
  'as translated in the report, para 9', '2'),
 (14, 2, 'The fact is that Russia… based on the data and information received, knows very well that the Doha Agreement did not mean the end of the American occupation of Afghanistan, nor did it necessarily indicate the undisputed and real victory of the Taliban and Afghanistan’s achievement of ‘independence.’',
  'as translated in the report, para 10', '4'),
 (15, 2, 'Therefore, the Russians know very well that handing over the advanced weapons of NATO and America to the Taliban was not a mistake due to the defeat in the 20-year war. Those weapons were never ‘war booty’ won by the Taliban; rather, those were handed over directly and intentionally and based on a secret agreement and collusion. just as the power, government and territory of Afghanistan were handed over to the Taliban.',
  'as translated in the report, para 11', '4'),
 (16, 2, 'This was only one aspect of the Doha Agreement. Another consequence of this agreement was the return and revival of terrorism in Afghanistan in order to export it to the countries of the region.',
  'as translated in the report, para 12', '4'),
 (17, 2, 'This project is being carried out quickly and the Americans are also helping to realize it with intensive negotiations, continuous consultations and continuous injection of money to the Taliban.',
  'as translated in the report, para 12', '4'),
 (18, 2, 'Accordingly, Moscow is extremely worried about the security situation in Afghanistan and considers this situation directly caused by the strategic projects of America and the domination of the Taliban in Afghanistan as a geopolitical game by Washington.',
  'as translated in the report, para 14', '3'),
 (19, 2, 'In the meantime, the meeting of Russian Ambassador to Afghanistan Dmitry Zhirnov with Sirajuddin Haqqani, the acting interior minister of the Taliban and the leader of the powerful Haqqani Network, took place in a very sensitive and critical situation.',
  'as translated in the report, para 15', '2'),
 (20, 2, 'This meeting was held right after Russian senior security and military officials expressed their opinions, positions, and concerns about the growth of terrorism in Afghanistan and the resulting threats to the security of Central Asia.',
  'as translated in the report, para 15', '2'),
 (21, 2, 'Sirajuddin Haqqani is considered the most powerful, mysterious, and the most secret figure of the Taliban government.',
  'as translated in the report, para 16', '3'),
 (22, 2, 'He is mentioned as the link between the powerful terrorist groups and the Taliban and the Haqqani Network, and he is also considered a trusted partner of the U.S. and Pakistan.',
  'as translated in the report, para 16', '4'),
 (23, 2, 'The meeting of the Russian ambassador in Kabul with such a person is very meaningful and has a message: it shows that Russia wants to share its security concerns with someone who is believed to be responsible for the implementation of the project of developing terrorism in Afghanistan and laying the groundwork for the export of extremist ideas to Central Asia and the region.',
  'as translated in the report, para 17', '4'),
 (24, 2, 'In this way, although the Taliban spokesmen stated that the purpose of the meeting between Sirajuddin Haqqani and Dmitry Zhirnov was to discuss ‘security cooperation’ between Russia and the Taliban, the fact is that this meeting was held to convey Russia’s concerns about the growth of terrorism in Afghanistan and the export of extremism to Central Asia, and the choice of Sirajuddin Haqqani for this matter was very calculated, accurate, and correct.',
  'as translated in the report, para 18', '3'),
 (25, 2, 'Russia is worried and expresses this concern clearly, and Zhirnov’s meeting with Haqqani was held for the same purpose…',
  'as translated in the report, para 19', '3');

-- ---------------------------------------------------------------------------
-- Relations, grouped by topic; each relation's excerpt links follow it.
-- ---------------------------------------------------------------------------

-- The Kabul meeting (March 5, 2024)
INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (1, 1, 22, 'participated_in', 'took part in', '2024-03-05', '2024-03-05', NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (1, 1), (1, 6);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (2, 2, 22, 'participated_in', 'took part in', '2024-03-05', '2024-03-05', NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (2, 1), (2, 6);

-- Zhirnov -> Haqqani: two parallel relations (the meeting, and its purpose as
-- Ahmedi reads it)
INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (3, 1, 2, 'met_with', 'met in Kabul with', '2024-03-05', '2024-03-05', '{"location": "Kabul"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (3, 1), (3, 19);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (4, 1, 2, 'conveyed_concerns_to', 'conveyed Russia’s concerns about terrorism to', '2024-03-05', '2024-03-05',
  '{"according_to": "Hamid Ahmedi"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (4, 4), (4, 24), (4, 25);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (5, 2, 1, 'called_for_security_cooperation_with', 'called for ‘more security cooperation’ with', '2024-03-05', '2024-03-05',
  '{"according_to": "Abdul Matin Qane"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (5, 7);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (6, 9, 22, 'announced', 'announced', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (6, 6);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (7, 4, 22, 'spoke_about', 'gave the Interior Ministry’s account of', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (7, 7);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (8, 22, 23, 'preceded', 'took place weeks before', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (8, 1);

-- Russia -> Taliban government: two parallel relations (the stated purpose of
-- the meeting, and how Russia sees Taliban rule)
INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (9, 7, 8, 'discussed_security_cooperation_with', 'discussed ‘security cooperation’ with', '2024-03-05', '2024-03-05',
  '{"according_to": "Taliban spokesmen"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (9, 7), (9, 24);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (10, 7, 2, 'chose_as_interlocutor', 'chose as the person to hear its security concerns', NULL, NULL,
  '{"according_to": "Hamid Ahmedi"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (10, 23), (10, 24);

-- Offices and membership
INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (11, 1, 7, 'ambassador_of', 'is the ambassador of', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (11, 1);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (12, 1, 20, 'ambassador_to', 'is Russian Ambassador to', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (12, 1), (12, 19);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (13, 2, 9, 'minister_of', 'is acting Minister of Interior Affairs at', NULL, NULL, '{"title": "Acting Minister of Interior Affairs"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (13, 1), (13, 6), (13, 19);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (14, 2, 10, 'leads', 'heads', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (14, 1), (14, 19);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (15, 2, 8, 'member_of', 'is a leading figure of', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (15, 1), (15, 21);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (16, 9, 8, 'part_of', 'is a ministry of', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (16, 6);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (17, 10, 8, 'part_of', 'is part of', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (17, 1);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (18, 4, 9, 'spokesman_for', 'is spokesman for', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (18, 7);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (19, 5, 7, 'minister_of', 'is Defense Minister of', NULL, NULL, '{"title": "Defense Minister"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (19, 9);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (20, 6, 14, 'secretary_of', 'is secretary of', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (20, 10);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (21, 14, 7, 'part_of', 'is the Security Council of', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (21, 10);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (22, 8, 20, 'rules', 'rules', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (22, 11), (22, 18);

-- The article and its publication (March 6, 2024)
INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (23, 3, 24, 'wrote', 'wrote', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (23, 3);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (24, 12, 24, 'published', 'published', '2024-03-06', '2024-03-06', NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (24, 3), (24, 5);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (25, 24, 22, 'about', 'examined', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (25, 3);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (26, 12, 20, 'based_in', 'is based in', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (26, 3), (26, 5);

-- The Crocus City Hall attack (March 22, 2024)
INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (27, 11, 23, 'claimed_responsibility_for', 'claimed responsibility for', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (27, 2);

-- Russian threat perceptions: Central Asia, the CSTO, ISIS
INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (28, 7, 21, 'has_allies_in', 'has allies in', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (28, 8);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (29, 5, 21, 'warned_about', 'warned of threats from Afghanistan to', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (29, 9);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (30, 11, 21, 'alleged_radicalization_in', 'allegedly seeks to spread radical ideas in', NULL, NULL,
  '{"claimed_by": "Sergei Shoigu"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (30, 9);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (31, 11, 13, 'alleged_subversion_along_borders_of', 'allegedly carries out subversive activities along the southern borders of', NULL, NULL,
  '{"claimed_by": "Sergei Shoigu"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (31, 9);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (32, 6, 20, 'warned_about', 'said 20 terrorist organizations with 23,000 militants are in', NULL, NULL,
  '{"terrorist_organizations": 20, "militants": 23000}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (32, 10);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (33, 7, 8, 'sees_as_threat', 'sees as a threat the rule over Afghanistan of', NULL, NULL,
  '{"according_to": "Hamid Ahmedi"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (33, 11);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (34, 7, 20, 'concerned_about', 'is extremely worried about the security situation in', NULL, NULL,
  '{"according_to": "Hamid Ahmedi"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (34, 18), (34, 20);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (35, 7, 15, 'blames', 'blames the situation in Afghanistan on the strategic projects of', NULL, NULL,
  '{"according_to": "Hamid Ahmedi"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (35, 18);

-- America and NATO in Afghanistan
INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (36, 15, 26, 'participated_in', 'took part in', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (36, 12), (36, 13);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (37, 16, 26, 'participated_in', 'took part in', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (37, 12);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (38, 15, 27, 'participated_in', 'took part in', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (38, 12), (38, 14);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (39, 16, 27, 'participated_in', 'took part in', NULL, NULL, NULL);
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (39, 12);

-- A possibility the article dismisses: America and NATO returning to monitor
-- China, Russia and Iran from bases in Afghanistan.
INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (40, 15, 18, 'not_expected_to_monitor', 'is not thought likely to return to Afghanistan to monitor', NULL, NULL,
  '{"together_with": "NATO"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (40, 12);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (41, 15, 7, 'not_expected_to_monitor', 'is not thought likely to return to Afghanistan to monitor', NULL, NULL,
  '{"together_with": "NATO"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (41, 12);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (42, 15, 19, 'not_expected_to_monitor', 'is not thought likely to return to Afghanistan to monitor', NULL, NULL,
  '{"together_with": "NATO"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (42, 12);

-- The Doha Agreement. The article never names its parties: relations 43 and
-- 44 are implied (it weighs what the agreement meant for "the American
-- occupation" and for "the real victory of the Taliban") but no passage states
-- them, so they cite no excerpt and are shown as unsupported.
INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (43, 15, 25, 'party_to', 'was a party to', NULL, NULL,
  '{"note": "implied, not quoted: the article discusses what the Doha Agreement meant for the American occupation but never names its parties"}');

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (44, 8, 25, 'party_to', 'was a party to', NULL, NULL,
  '{"note": "implied, not quoted: the article discusses what the Doha Agreement meant for the Taliban’s victory but never names its parties"}');

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (45, 25, 27, 'alleged_did_not_end', 'allegedly did not end', NULL, NULL,
  '{"claimed_by": "Hamid Ahmedi", "attributed_to": "Russia"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (45, 14);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (46, 25, 20, 'alleged_revival_of_terrorism_in', 'allegedly brought the return and revival of terrorism in', NULL, NULL,
  '{"claimed_by": "Hamid Ahmedi"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (46, 16);

-- Ahmedi's allegations against the United States: two parallel relations
-- United States -> Taliban government
INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (47, 15, 8, 'alleged_collusion', 'allegedly handed weapons and power, by secret agreement and collusion, to', NULL, NULL,
  '{"claimed_by": "Hamid Ahmedi", "hedge": "passive voice: the weapons “of NATO and America” were “handed over … based on a secret agreement and collusion”", "handed_over": ["the advanced weapons of NATO and America", "the power, government and territory of Afghanistan"]}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (47, 15), (47, 16);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (48, 15, 8, 'alleged_funding', 'allegedly helps revive terrorism by injecting money into', NULL, NULL,
  '{"claimed_by": "Hamid Ahmedi"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (48, 17);

-- Ahmedi's hedged claims about Sirajuddin Haqqani ("is considered",
-- "is mentioned as", "is believed to be")
INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (49, 2, 15, 'alleged_partner_of', 'is allegedly considered a trusted partner of', NULL, NULL,
  '{"claimed_by": "Hamid Ahmedi", "hedge": "is also considered"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (49, 22);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (50, 2, 17, 'alleged_partner_of', 'is allegedly considered a trusted partner of', NULL, NULL,
  '{"claimed_by": "Hamid Ahmedi", "hedge": "is also considered"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (50, 22);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (51, 2, 8, 'alleged_terrorist_link', 'is allegedly the link between powerful terrorist groups and', NULL, NULL,
  '{"claimed_by": "Hamid Ahmedi", "hedge": "is mentioned as"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (51, 22);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (52, 2, 10, 'alleged_terrorist_link', 'is allegedly the link between powerful terrorist groups and', NULL, NULL,
  '{"claimed_by": "Hamid Ahmedi", "hedge": "is mentioned as"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (52, 22);

INSERT INTO relations (id, subject_id, object_id, kind, label, date_start, date_end, properties) VALUES
 (53, 2, 20, 'alleged_terrorism_project_in', 'is allegedly responsible for a project of developing terrorism in', NULL, NULL,
  '{"claimed_by": "Hamid Ahmedi", "hedge": "is believed to be"}');
INSERT INTO relation_excerpts (relation_id, excerpt_id) VALUES (53, 23);

COMMIT;
