"""Write the demo data set in data/demo/; the same bytes on every run (standard library only).

Usage: python scripts/make_demo_data.py
Every date is relative to ANCHOR; the demo loader shifts them by whole weeks.
"""

from __future__ import annotations

import csv
import io
import random
import string
import unicodedata
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

SEED = 20261120
ANCHOR = date(2026, 11, 20)  # a Friday
CUTOFF = datetime(2026, 11, 19, 18, 30)  # no treatment recorded after the eve of the anchor
OUT = Path(__file__).resolve().parent.parent / "data" / "demo"
N_CUSTOMERS = 180
# opinions per customer: mostly 1-2, some 3-4 (four monthly campaigns, one answer each)
OPINION_COUNTS = [0] * 2 + [1] * 38 + [2] * 75 + [3] * 38 + [4] * 27


def rows(block: str) -> list[list[str]]:
    """The lines of a block split on '|'. A line indented by 8 continues the one before it, and
    ' // ' inside a field is a line break."""
    lines = [line.strip() for line in block.replace("\n        ", " ").splitlines()]
    lines = [line for line in lines if line]
    return [[f.strip().replace(" // ", "\n") for f in line.split("|")] for line in lines]


def table(block: str) -> dict[str, list[str]]:
    """The rows of a block by their first field; rows with the same first field add up."""
    out: dict[str, list[str]] = {}
    for key, *fields in rows(block):
        out.setdefault(key, []).extend(fields)
    return out


def flat(block: str) -> list[str]:
    """All the non-empty fields of a block, in order."""
    return [field for row in rows(block) for field in row if field]


# ---------------------------------------------------------------- word pools
ANALYSTS = rows("""
    ana    | Ana Beatriz Souza         | cs_analyst
    bruno  | Bruno Henrique Lima       | cs_analyst
    carla  | Carla Gonçalves           | support_lead
    diego  | Diego Araújo              | implementation
    elaine | Elaine Cristina Magalhães | commercial
    fabio  | Fábio Nogueira            | financial
    gisele | Gisele Conceição Ribeiro  | franchise
    helena | Helena Vasconcelos        | cs_manager
""")
NAME_OF = {username: name for username, name, _ in ANALYSTS}
CATEGORIES = flat("""
    Suporte | Financeiro | Implantação | Comercial | Produto | Atendimento | Treinamento
    Instabilidade | Preço | Outros
""")
VERTICAL_WEIGHT = {"Farma": 40, "Food": 34, "Postos": 30, "Retail": 40, "Gestão Financeira": 18}
VERTICAL_WEIGHT["Cross"] = 18
PRODUCTS = table("""
    Farma             | Durasoft Farma | Durasoft Farma PDV | Durasoft Farma Web
    Food              | Durasoft Food | Durasoft Food Delivery | Durasoft Comanda
    Postos            | Durasoft Posto | Durasoft Posto Conveniência | Durasoft Frota
    Retail            | Durasoft PDV | Durasoft Web | Durasoft Varejo
    Gestão Financeira | Durasoft Financeiro | Durasoft Contábil | Durasoft Cobrança
    Cross             | Durasoft ERP | Durasoft BI | Durasoft Web
""")
# razão social patterns per vertical: {x} a place, {s} a surname
COMPANIES = table("""
    Farma  | Farmácia {x} Ltda | Drogaria {x} ME | Drogaria {s} & Filhos Ltda
    Farma  | Farmácia e Perfumaria {x} EIRELI | Drogaria Nova {x} Ltda
    Food   | Restaurante {x} Ltda | Pizzaria {x} ME | Padaria e Confeitaria {x} Ltda
    Food   | Lanchonete {s} ME | Churrascaria {x} Ltda | Hamburgueria {x} Ltda
    Postos | Posto {x} Comércio de Combustíveis Ltda | Auto Posto {x} Ltda
    Postos | Auto Posto {s} & Cia Ltda | Rede {x} de Combustíveis Ltda
    Retail | Supermercado {x} ME | Supermercado Irmãos {s} Ltda | Mercearia {s} ME
    Retail | Loja {x} Calçados e Confecções Ltda | Materiais de Construção {x} Ltda
    Retail | Magazine {x} Ltda | Papelaria {x} EIRELI
    Gestão Financeira | {s} Contabilidade Ltda | Escritório Contábil {x} S/S
    Gestão Financeira | {s} & Associados Assessoria Financeira Ltda
    Gestão Financeira | {x} Serviços Financeiros Ltda
    Cross  | Distribuidora {x} Ltda | Grupo {s} Participações S.A. | Comercial {x} Ltda
    Cross  | Atacadão {x} Ltda | {s} Comércio e Serviços Ltda
""")
PLACES = flat("""
    São Jorge | Estrela do Sul | Bom Jesus | Santa Luzia | Nossa Senhora Aparecida | Boa Vista
    Vale Verde | Ipê Amarelo | Sol Nascente | Pioneira | Cruzeiro | Primavera | São Francisco
    Três Irmãos | Serra Azul | Beira-Rio | Planalto | União | Esperança | Paraíso | Itapuã
    Imperial | Horizonte | Jardim América | Aliança | Bandeirantes | Conquista | Vitória
    Araucária | Coração de Jesus | Pôr do Sol | Lagoa Dourada | São Benedito | Santo Antônio
""")
SURNAMES = flat("""
    Silva | Santos | Oliveira | Souza | Araújo | Gonçalves | Pereira | Ribeiro | Carvalho
    Almeida | Lima | Conceição | Magalhães | Brandão | Assunção | Guimarães | Simões | Gusmão
    Falcão | Monteiro | Teixeira | Barros | Fernandes | Rocha | Mendonça | Damião | Nóbrega
    Sá | Lopes | Moura | Vieira | Castro | Queiroz | Loureiro | Fontes | Estêvão | Leão
""")
FIRST_NAMES = flat("""
    João | José | Antônio | Francisco | Luís | Sérgio | Márcio | Fábio | Cláudio | Rogério
    Mário | Vinícius | Otávio | Caio | Raimundo | André | Thiago | Rafael | Marcos | Paulo
    Conceição | Lúcia | Maria José | Ana Cláudia | Márcia | Fátima | Luíza | Mônica | Débora
    Patrícia | Vânia | Sônia | Letícia | Cecília | Tânia | Juliana | Priscila | Regina | Aline
""")
PERSONAL_DOMAINS = {"gmail.com": 50, "hotmail.com": 20, "yahoo.com.br": 8, "uol.com.br": 8}
PERSONAL_DOMAINS |= {"outlook.com": 8, "bol.com.br": 4, "terra.com.br": 2}
DROP = set(
    flat("""
    ltda | me | eireli | s/s | s.a. | & | cia | de | do | da | e | comercio | combustiveis
    servicos | financeiros | participacoes | calcados | confeccoes | assessoria | financeira
    perfumaria | confeitaria | materiais | escritorio | filhos
""")
)  # words left out of a company's web domain
UF_DDD = flat("""
    AC | 68 | AL | 82 | AP | 96 | AM | 92 97 | BA | 71 73 74 75 77 | CE | 85 88 | DF | 61
    ES | 27 28 | GO | 62 64 | MA | 98 99 | MT | 65 66 | MS | 67 | PA | 91 93 94 | PB | 83
    MG | 31 32 33 34 35 37 38 | PR | 41 42 43 44 45 46 | PE | 81 87 | PI | 86 89 | RN | 84
    RJ | 21 22 24 | RS | 51 53 54 55 | RO | 69 | RR | 95 | SC | 47 48 49 | SE | 79 | TO | 63
    SP | 11 12 13 14 15 16 17 18 19
""")
DDDS = {
    uf: [int(d) for d in ddds.split()] for uf, ddds in zip(UF_DDD[::2], UF_DDD[1::2], strict=True)
}
UF_WEIGHT = {"SP": 30, "MG": 14, "RJ": 12, "PR": 10, "RS": 10, "SC": 8, "BA": 7, "GO": 4}
UF_WEIGHT |= {"PE": 4, "CE": 4, "DF": 3, "ES": 3, "PA": 2, "MT": 2, "MS": 2}
# theme | category | escalated to | what the call taught ({r} colleague, {p} product) | solution
THEMES = table("""
    suporte | Suporte | carla | Cliente relata chamado sem retorno há dias; escalado para o
        suporte ({r}) com prioridade. | Chamado atendido; acesso remoto feito e problema resolvido.
    instabilidade | Instabilidade | carla | Cliente relata quedas do {p} em horário de pico;
        suporte ({r}) vai analisar os logs. | Servidor migrado para a nuvem; sem quedas desde então.
    pdv | Produto | carla | Cliente relata lentidão no PDV desde a atualização; escalado para o
        suporte ({r}). | Base reindexada e PDV atualizado para a 8.4.2; venda fecha em 3 segundos.
    financeiro | Financeiro | fabio | Cobrança em duplicidade confirmada; financeiro ({r}) vai
        emitir o estorno. | Estorno de R$ 389,90 lançado; comprovante enviado ao cliente.
    implantacao | Implantação | diego | Implantação atrasada; {r} vai remarcar a visita técnica
        ainda esta semana. | Visita técnica feita; sistema emitindo notas normalmente.
    preco | Preço | elaine | Cliente acha a mensalidade alta; {r} (comercial) vai propor plano
        anual. | Cliente aceitou o plano anual com 10% de desconto.
    comercial | Comercial | elaine | Vendedor prometeu recurso que o {p} não tem; {r} vai
        rever a proposta com o cliente. | Proposta revista; módulo de integração liberado sem custo.
    treinamento | Treinamento | diego | Equipe do cliente não recebeu treinamento; {r} vai
        agendar turma online. | Treinamento online feito com 4 funcionários do cliente.
    atendimento | Atendimento | gisele | Cliente atendido pela franquia local; {r} vai conversar
        com o franqueado. | Franqueado ligou, pediu desculpas e designou outro técnico.
    produto | Produto | carla | Erro no relatório confirmado; suporte ({r}) abriu chamado para o
        time de produto. | Correção liberada na versão 8.5; relatório conferido com o cliente.
""")
DETRACTOR_COMMENTS = rows("""
    suporte | Abri chamado no suporte há mais de uma semana e até agora ninguém retornou.
    suporte | Toda vez que ligo no suporte tenho que explicar o problema do zero.
    suporte | Sistema travou no fechamento do caixa. // Fiquei uma hora esperando o suporte.
    suporte | Não sei mais o que fazer, o chamado 48213 foi fechado sem ninguém me ligar.
    instabilidade | Sistema caiu três vezes essa semana em pleno horário de pico. Inaceitável.
    instabilidade | Instabilidade na emissão de NFC-e, a nota não sai e o cliente fica esperando.
    instabilidade | Depois da última atualização o {p} trava toda hora.
    pdv | PDV muito lento, fila no caixa todo dia por causa do sistema.
    pdv | O PDV demora quase um minuto para fechar cada venda. Já reclamei várias vezes.
    financeiro | Fui cobrado em duplicidade no boleto de outubro e não estornaram.
    financeiro | Cobrança errada pelo terceiro mês seguido – vieram módulos que não contratei.
    financeiro | Boleto veio com valor diferente do contrato. // Mandei e-mail duas vezes e nada.
    implantacao | A implantação foi um desastre: prometeram 15 dias e já são dois meses.
    implantacao | Implantação atrasada e o sistema ainda não emite nota. // Vou cancelar.
    preco | Muito caro pelo que entrega. Estou avaliando outros sistemas.
    preco | Reajuste na mensalidade sem nenhum aviso prévio.
    comercial | O vendedor prometeu integração com a loja virtual e o sistema não tem.
    treinamento | Ninguém da equipe recebeu treinamento decente, aprendemos no erro.
    atendimento | O técnico da franquia não apareceu no dia marcado e ninguém avisou.
    produto | O relatório de estoque vem com valores errados, confiro tudo na mão.
    produto | Não consigo gerar o SPED pelo {p}, tive que pagar o contador por fora.
""")
NEUTRAL_COMMENTS = rows("""
    produto | Bom, mas poderia ter um aplicativo para acompanhar as vendas pelo celular.
    suporte | Atendimento bom, mas às vezes demora um pouco para retornar.
    treinamento | Bom, mas senti falta de treinamento para os funcionários novos.
    preco | Atende bem, mas o preço poderia ser mais acessível para quem tem uma loja só.
    produto | Gosto do {p}, só acho a tela de cadastro muito confusa.
    instabilidade | Funciona bem quase sempre, mas de vez em quando fica lento.
    produto | Bom, mas falta integração com o banco para conciliação automática.
    atendimento | Razoável. Resolveram meu problema, mas precisei ligar duas vezes.
    produto | Bom sistema. Sugiro colocar atalhos de teclado no PDV.
    comercial | Bom, mas ninguém do comercial me apresentou os módulos novos.
    treinamento | Os vídeos de ajuda são bons, mas estão desatualizados.
    produto | No geral estou satisfeito. // Só sugiro melhorar o relatório de comissões.
""")
PROMOTER_COMMENTS = flat("""
    Atendimento excelente! {A} resolveu tudo na mesma ligação.
    Sistema muito bom, facilitou demais o controle do estoque.
    Ótimo suporte, sempre que preciso sou atendido rápido.
    Parabéns à equipe, {a} ajudou muito na implantação.
    Recomendo! Desde que mudamos para o {p} a empresa ficou muito mais organizada.
    Implantação rápida e sem dor de cabeça. Obrigado, {n}!
    Equipe nota 10.
    Sistema prático e fácil de usar, até minha mãe aprendeu.
    Gostei muito do treinamento com {a}, super didático.
    O {p} é muito completo, atende tudo que a empresa precisa.
    Ótimo custo-benefício.
    Sistema “redondinho”, e {a} sempre me atende com paciência.
    A emissão de notas ficou muito mais rápida. Estou satisfeito.
    Atendimento rápido e resolutivo, parabéns ao time da Durasoft!
    Uso o sistema há 5 anos e nunca tive problema sério. // O suporte sempre resolve rápido.
""")
NAMED = {"ana": "a Ana", "bruno": "o Bruno", "carla": "a Carla", "diego": "o Diego"}
STAFF = flat("""
    Rodrigo Batista | Farma | Camila Antunes | Food | Letícia Prado | Retail
    Júlio César Paiva | Postos | Natália Frota | Gestão Financeira | Otávio Sampaio | Cross
    Bianca Lourenço | Farma | Márcio Tavares | Retail | Renata Azevedo | Food
    Sílvia Câmara | Postos | Hugo Rezende | Cross | Valéria Bastos | Gestão Financeira
""")  # internal survey respondents: name | team (vertical)
INTERNAL_COMMENTS = flat("""
    Gosto de trabalhar aqui, mas a comunicação entre suporte e implantação precisa melhorar.
    Ótimo ambiente e liderança presente.
    Faltam ferramentas para acompanhar os chamados dos clientes.
    Recomendo a empresa, equipe muito unida.
    Metas pouco claras neste trimestre.
""")
ATTEMPT_TEXT = {"no_answer": ["", "Chamou até cair.", "Caixa postal."]}
ATTEMPT_TEXT["left_message"] = ["Deixei recado com a atendente.", "Recado na caixa postal."]
ATTEMPT_TEXT["wrong_number"] = ["Número não é mais da empresa."]
REACHED_TEXT = ["Falei com {n}; explicou o problema com detalhes.", ""]
REACHED_TEXT += ["{n} atendeu e pediu retorno ainda esta semana.", "Conversa de 15 min com {n}."]
REOPEN_REASONS = flat("""
    Cliente ligou novamente: o problema voltou após a atualização.
    Cliente respondeu o e-mail dizendo que a situação continua.
    Cliente diz que a solução ficou pela metade e pediu novo contato.
""")
# e-mail bodies: greeting, one paragraph per class, signature
EMAIL = "Olá, {n}!\n\n{paragraph}\n\n{name}\nSucesso do Cliente - Durasoft"
EMAIL_PARAGRAPH = table("""
    detractor | Tentamos falar com você por telefone sobre a sua resposta à nossa pesquisa.
        Queremos entender o que aconteceu e resolver o quanto antes. Qual o melhor horário
        para retornarmos a ligação?
    neutral | Obrigado por responder à nossa pesquisa. Sua sugestão foi encaminhada ao time
        responsável e avisaremos quando houver novidades.
    promoter | Muito obrigado pela sua nota! Ficamos felizes em saber que o {p} ajuda no dia a dia
        da sua empresa. Conte sempre com a gente.
""")
HOUR_WEIGHTS = [1, 0.3, 0.1, 0.1, 0.1, 0.2, 1, 3, 6, 9, 10, 9, 6, 7, 9, 9, 8, 7, 5, 4, 4, 3, 2, 1]
MONTHS = {8: "Agosto", 9: "Setembro", 10: "Outubro", 11: "Novembro"}
MONTH_WEIGHT = {8: 0.8, 9: 1.0, 10: 1.25, 11: 1.45}
MOODS = {"happy": (78, 18, 4), "mixed": (46, 34, 20), "unhappy": (10, 20, 70)}  # P / N / D %
RESPOSTAS_HEADER = flat("""
    ID da resposta | Data de envio | Data da resposta | Nota | Comentário | Nome | E-mail
    Telefone | CNPJ | Razão Social | Produto | Vertical | Campanha | Pesquisa interna
""")
CUSTOMERS_HEADER = flat("cnpj | razao_social | nome | email | telefone | produto | vertical | uf")
HISTORY_HEADER = flat("""
    external_id | at | actor | action | channel | outcome | type | category | responsible | text
""")
DT = "%d/%m/%Y %H:%M"
EXCEL = {"delimiter": ";", "lineterminator": "\r\n"}  # what Excel in Brazil writes
MANIFEST = """\
# Demo data set; the loader shifts every date by whole weeks so the newest answers are recent.
anchor = "2026-11-20"
source = "track"
timezone = "America/Sao_Paulo"
"""


# ---------------------------------------------------------------- helpers
def cnpj_check_digits(base12: str) -> str:
    chars = base12
    for _ in range(2):  # weights 2..9 cycling from the right; a char is worth ord(c) - 48
        total = sum((ord(c) - 48) * (2 + i % 8) for i, c in enumerate(reversed(chars)))
        chars += "0" if total % 11 < 2 else str(11 - total % 11)
    return chars[12:]


def cnpj_valid(raw: str) -> bool:
    s = "".join(c for c in raw.upper() if c.isalnum())
    shape = len(s) == 14 and s[12:].isdigit() and len(set(s[:12])) > 1
    return shape and cnpj_check_digits(s[:12]) == s[12:]


def new_cnpj(rng: random.Random, used: set[str], alnum: bool = False) -> str:
    """A fresh valid CNPJ, bare; the new format has letters among the first 12 chars."""
    alphabet = string.digits + (string.ascii_uppercase if alnum else "")
    while True:
        root = "".join(rng.choice(alphabet) for _ in range(8))
        base = root + ("0001" if rng.random() < 0.9 else "0002")
        if root not in used and len(set(base)) > 1 and not (alnum and root.isdigit()):
            used.add(root)
            return base + cnpj_check_digits(base)


def fmt_cnpj(s: str) -> str:
    return f"{s[:2]}.{s[2:5]}.{s[5:8]}/{s[8:12]}-{s[12:]}"


def ascii_lower(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def make_phone(rng: random.Random, uf: str) -> str:
    """As Brazilians write it: (11) 98765-4321, 11 3456-7890, +55 21 99876-5432, 11987654321."""
    ddd = rng.choice(DDDS[uf])
    first = f"9{rng.randint(6, 9)}" if rng.random() < 0.7 else rng.choice("2333")
    number = f"{first}{rng.randint(0, 9999999):07d}"
    style = rng.choices(range(4), [55, 25, 15, 5])[0]
    dashed = number if style == 3 else f"{number[:-4]}-{number[-4:]}"
    return [f"({ddd}) ", f"{ddd} ", f"+55 {ddd} ", f"{ddd}"][style] + dashed


def make_email(rng: random.Random, contact: str, company: str, used: set[str]) -> str:
    first, *_, last = ascii_lower(contact).split()
    if rng.random() < 0.4:  # at the company's own domain
        words = [w for w in ascii_lower(company).replace("-", "").split() if w not in DROP]
        domain = "".join(words) + ".com.br"
        local = rng.choice(["contato", "financeiro", "adm", first, f"{first}.{last}"])
    else:
        domain = rng.choices(list(PERSONAL_DOMAINS), list(PERSONAL_DOMAINS.values()))[0]
        n = rng.randint(70, 99)
        local = rng.choice([f"{first}.{last}", f"{first}{last}", f"{first}.{last}{n}"])
    email = f"{local}@{domain}"
    while email in used:
        email = f"{local}{rng.randint(1, 99)}@{domain}"
    used.add(email)
    return email


def make_customers(rng: random.Random) -> list[dict]:
    ufs = list(DDDS)  # every state at least once, then weighted
    ufs += rng.choices(ufs, [UF_WEIGHT.get(uf, 1) for uf in ufs], k=N_CUSTOMERS - len(ufs))
    rng.shuffle(ufs)
    verticals = rng.choices(list(VERTICAL_WEIGHT), list(VERTICAL_WEIGHT.values()), k=len(ufs))
    alnum = rng.sample(range(N_CUSTOMERS), 3)
    roots: set[str] = set()
    emails: set[str] = set()
    customers: list[dict] = []
    for i, (uf, vertical) in enumerate(zip(ufs, verticals, strict=True)):
        company = ""
        while not company or any(c["razao_social"] == company for c in customers):
            pattern = rng.choice(COMPANIES[vertical])
            company = pattern.format(x=rng.choice(PLACES), s=rng.choice(SURNAMES))
        first, surnames = rng.choice(FIRST_NAMES), rng.sample(SURNAMES, 2)
        contact = " ".join([first, *surnames[: rng.choice([1, 1, 2])]])
        cnpj = new_cnpj(rng, roots, alnum=i in alnum)
        cnpj = fmt_cnpj(cnpj) if rng.random() < 0.85 or i in alnum else cnpj
        email = make_email(rng, contact, company, emails) if rng.random() > 0.05 else ""
        phone = make_phone(rng, uf) if rng.random() > 0.1 else ""
        product, served = rng.choice(PRODUCTS[vertical]), ANCHOR - timedelta(rng.randint(1, 120))
        customer = {"cnpj": cnpj, "razao_social": company, "nome": contact, "first": first}
        customer |= {"email": email, "telefone": phone, "produto": product, "vertical": vertical}
        customers.append(customer | {"uf": uf, "served": served})
    return customers


def pick_answered(rng: random.Random, month: int) -> datetime:
    """A day of the month, more often recent and on weekdays; mostly in business hours."""
    start = max(date(2026, month, 1), ANCHOR - timedelta(days=110))
    end = ANCHOR if month == 11 else date(2026, month + 1, 1) - timedelta(days=1)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    weights = [(2 + (110 - (ANCHOR - d).days) / 55) * (d.weekday() < 5 or 0.45) for d in days]
    day = rng.choices(days, weights)[0]
    hour = rng.randint(6, 9) if day == ANCHOR else rng.choices(range(24), HOUR_WEIGHTS)[0]
    return datetime.combine(day, time(hour, rng.randint(0, 59)))


def pick_sent(rng: random.Random, answered: datetime) -> tuple[datetime, datetime]:
    """Sent 0-3 days before the answer, inside the campaign's month and 08:00-18:00 window."""
    lag = min(rng.choices([0, 1, 2, 3], [50, 30, 12, 8])[0], answered.day - 1)
    if lag == 0 and answered.time() < time(8, 10):
        lag = 1 if answered.day > 1 else 0
        answered = answered if lag else answered.replace(hour=rng.randint(10, 17))
    opening = datetime.combine(answered.date() - timedelta(days=lag), time(8, 0))
    latest = min(answered - timedelta(minutes=3), opening + timedelta(minutes=599))
    return opening + timedelta(minutes=rng.randint(0, (latest - opening).seconds // 60)), answered


def nps_class(score: int) -> str:
    return "promoter" if score >= 9 else "neutral" if score >= 7 else "detractor"


def pick_score_and_comment(rng: random.Random, mood: str, product: str) -> tuple[int, str, str]:
    """A score, a comment matching it (or none), and the comment's theme."""
    cls = rng.choices(["promoter", "neutral", "detractor"], MOODS[mood])[0]
    who = rng.choice(list(NAMED))  # promoters praise analysts by name
    fill = {"a": NAMED[who], "A": NAMED[who].capitalize(), "n": who.title(), "p": product}
    if cls == "promoter":
        score, theme = rng.choices([9, 10], [45, 55])[0], "atendimento"
        text = rng.choice(PROMOTER_COMMENTS)
    elif cls == "neutral":
        score, (theme, text) = rng.choice([7, 8]), rng.choice(NEUTRAL_COMMENTS)
    else:
        score = rng.choices(range(7), [4, 2, 3, 5, 7, 10, 12])[0]
        theme, text = rng.choice(DETRACTOR_COMMENTS)
    if rng.random() < 0.5:  # only some of the longer comments keep their line break
        text = text.replace("\n", " ")
    empty = rng.random() < (0.27 if cls == "promoter" else 0.12)
    return score, "" if empty else text.format(**fill), theme


def make_opinions(rng: random.Random, customers: list[dict]) -> list[dict]:
    counts = OPINION_COUNTS[:]
    rng.shuffle(counts)
    opinions: list[dict] = []
    for customer, count in zip(customers, counts, strict=True):
        mood = rng.choices(list(MOODS), [68, 28, 4])[0]
        mood = "unhappy" if count >= 3 and rng.random() < 0.25 else mood  # recurrent complainer
        months = list(MONTH_WEIGHT)
        for _ in range(count):  # at most one answer per monthly campaign
            month = rng.choices(months, [MONTH_WEIGHT[m] for m in months])[0]
            months.remove(month)
            sent, answered = pick_sent(rng, pick_answered(rng, month))
            score, comment, theme = pick_score_and_comment(rng, mood, customer["produto"])
            opinion = {"customer": customer, "sent": sent, "answered": answered, "score": score}
            opinions.append(opinion | {"comment": comment, "theme": theme, "internal": False})
        if count:  # the extractor's last service falls shortly before the latest survey
            latest = max(o["sent"] for o in opinions[-count:]).date()
            earliest = max(latest.replace(day=1), latest - timedelta(days=6))
            customer["served"] = earliest + timedelta(rng.randint(0, (latest - earliest).days))
    durasoft = fmt_cnpj("245178300001" + cnpj_check_digits("245178300001"))
    for name, vertical in zip(STAFF[::2], STAFF[1::2], strict=True):
        first, *_, last = ascii_lower(name).split()
        phone = make_phone(rng, "SP") if rng.random() < 0.5 else ""
        staff = {"cnpj": durasoft, "razao_social": "Durasoft Sistemas Ltda", "nome": name}
        staff |= {"email": f"{first}.{last}@durasoft.com.br", "telefone": phone, "produto": ""}
        staff |= {"first": name.split()[0], "vertical": vertical}
        sent, answered = pick_sent(rng, pick_answered(rng, rng.choice([9, 10, 11])))
        score = rng.choice([5, 6, 7, 8, 8, 9, 9, 10])
        comment = rng.choice(INTERNAL_COMMENTS) if rng.random() < 0.8 else ""
        opinion = {"customer": staff, "sent": sent, "answered": answered, "score": score}
        opinions.append(opinion | {"comment": comment, "theme": "", "internal": True})
    opinions.sort(key=lambda o: (o["answered"], o["customer"]["email"]))
    next_id = 104000
    for o in opinions:
        next_id += rng.randint(1, 37)
        o["id"] = f"TRK-{next_id}"
    return opinions


# ---------------------------------------------------------------- treatment history
def work_time(rng: random.Random, t: datetime) -> datetime:
    """t itself inside business hours (weekdays 08:00-18:00), else the next working morning."""
    if t.weekday() < 5 and time(8, 0) <= t.time() < time(18, 0):
        return t
    day = t.date() + timedelta(days=1 if t.time() >= time(18, 0) else 0)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(8, 30)) + timedelta(minutes=rng.randint(0, 120))


class Case:
    """One opinion's history; every step comes at least a minute after the one before."""

    def __init__(self, rng: random.Random, opinion: dict, actor: str) -> None:
        self.rng, self.id, self.t, self.actor = rng, opinion["id"], opinion["answered"], actor
        self.rows: list[dict] = []

    def step(self, lo: int, hi: int, action: str, by: str = "", **fields: str) -> None:
        """`action` lo..hi minutes later (pushed into business hours), by `by` or the actor."""
        self.t = work_time(self.rng, self.t + timedelta(minutes=self.rng.randint(lo, hi)))
        row = {"external_id": self.id, "at": self.t, "actor": by or self.actor}
        self.rows.append(row | {"action": action} | fields)


def story(rng: random.Random, o: dict, earlier: list[int]) -> list[dict]:
    """What the analysts did on one opinion, by class (rows after CUTOFF are dropped later)."""
    cust, cls = o["customer"], nps_class(o["score"])
    actor = "ana" if cust["vertical"] in ("Farma", "Food", "Retail") else "bruno"
    actor = {"ana": "bruno", "bruno": "ana"}[actor] if rng.random() < 0.15 else actor
    c = Case(rng, o, "helena" if o["internal"] else actor)
    fill = {"name": NAME_OF[actor], "n": cust["first"], "p": cust["produto"]}
    if o["internal"]:  # no loop with staff: a note and a close with type none
        c.step(600, 5000, "note", text=f"Pesquisa interna ({cust['vertical']}): repassada ao RH.")
        c.step(2, 60, "close", type="none", category="Outros", responsible="helena")
    elif cls == "promoter":
        c.step(60, 7200, "email", text=email("promoter", fill))
        if rng.random() < 0.1:
            c.step(2, 30, "note", text="Cliente topou gravar depoimento; avisei o marketing.")
        category = "Atendimento" if rng.random() < 0.85 else "Produto"
        c.step(1, 10, "close", type="praise", category=category, responsible=actor)
    elif cls == "neutral":
        category, colleague = THEMES[o["theme"]][:2]
        kind = rng.choices(["call", "email", "open"], [50, 30, 20])[0]
        if kind != "email":
            text = f"{cust['first']} explicou a sugestão com exemplos." if kind == "call" else ""
            outcome = "reached" if kind == "call" else "no_answer"
            channel = rng.choice(["whatsapp", "phone"])
            c.step(30, 3000, "contact", channel=channel, outcome=outcome, text=text)
        if kind == "call":
            c.step(3, 40, "note", text=f"Sugestão registrada e repassada a {NAME_OF[colleague]}.")
        else:
            c.step(5, 3000, "email", text=email("neutral", fill))
        if kind != "open":
            c.step(1, 30, "close", type="suggestion", category=category, responsible=actor)
    else:
        detractor_story(c, fill, THEMES[o["theme"]], earlier)
    old = (ANCHOR - o["answered"].date()).days > 30
    if c.rows[-1]["action"] == "close" and old and rng.random() < 0.5:
        c.step(1440, 10000, "archive")
    return c.rows


def email(cls: str, fill: dict) -> str:
    return EMAIL.format(paragraph=EMAIL_PARAGRAPH[cls][0].format(**fill), **fill)


def detractor_story(c: Case, fill: dict, theme: list[str], earlier: list[int]) -> None:
    rng, (category, colleague, learned, solved) = c.rng, theme
    kind = rng.choices(["quick", "full", "waiting", "open", "reopen"], [16, 31, 15, 22, 16])[0]
    low = [s for s in earlier if s <= 6]
    if len(low) >= 2 or rng.random() < 0.25:
        c.step(10, 240, "priority", by="helena", text="high")
    if low:  # a recurrent complainer
        text = f"Cliente reincidente; respostas anteriores: {', '.join(map(str, earlier))}."
        c.step(2, 30, "note", by="helena" if len(low) >= 2 else "", text=text)
    if kind != "quick":  # a failed call, then an e-mail that keeps the case open
        outcome = rng.choices(list(ATTEMPT_TEXT), [65, 20, 15])[0]
        text = rng.choice(ATTEMPT_TEXT[outcome])
        c.step(20, 1800, "contact", channel="phone", outcome=outcome, text=text)
        if outcome == "wrong_number":
            c.step(5, 60, "note", text="Telefone certo localizado pelo CNPJ no Movidesk.")
        c.step(3, 40, "email", text=email("detractor", fill))
    if kind == "open":  # still trying
        for _ in range(rng.randint(0, 2)):
            outcome = rng.choice(["no_answer", "left_message"])
            c.step(900, 3000, "contact", channel=rng.choice(["phone", "whatsapp"]), outcome=outcome)
        if rng.random() < 0.5:
            c.step(5, 60, "note", text="Sem retorno; tentar de novo na próxima semana.")
        return
    text = rng.choice(REACHED_TEXT).format(n=fill["n"])
    channel = rng.choice(["phone", "phone", "whatsapp"])
    lo = 20 if kind == "quick" else 900
    c.step(lo, 2900, "contact", channel=channel, outcome="reached", text=text)
    name = NAME_OF[colleague].split()[0]
    c.step(5, 45, "note", text=learned.format(r=name, p=fill["p"]))
    c.step(2, 20, "assign", responsible=colleague)
    c.step(1, 5, "follow", responsible=c.actor)
    if kind == "waiting":  # escalated; the colleague is on it
        return
    c.step(600, 7000, "note", by=colleague, text=solved)
    text = "Cliente confirmou que está tudo resolvido."
    c.step(60, 2000, "contact", channel="phone", outcome="reached", text=text)
    closing = {"type": "complaint", "category": category, "responsible": colleague}
    c.step(2, 30, "close", **closing)
    if kind == "reopen":
        c.step(1500, 8000, "reopen", text=rng.choice(REOPEN_REASONS))
        c.step(30, 600, "note", text=f"Caso devolvido para {name}; retorno ao cliente até sexta.")
        if rng.random() < 0.5:
            text = "Ajuste refeito e validado com o cliente."
            c.step(1500, 5000, "note", by=colleague, text=text)
            c.step(2, 30, "close", **closing)


def treat_probability(o: dict) -> float:
    age, cls = (ANCHOR - o["answered"].date()).days, nps_class(o["score"])
    if age <= 3:
        return 0.0  # the untreated backlog
    if o["internal"]:
        return 0.5 if age > 7 else 0.0
    if age <= 7:  # a first attempt on some detractors
        return {"detractor": 0.35, "neutral": 0.05}.get(cls, 0.0)
    if cls == "promoter":
        return 0.0 if age <= 10 else 0.4
    return (0.55 if cls == "detractor" else 0.42) + (0.1 if age > 30 else 0.0)


def make_history(rng: random.Random, opinions: list[dict]) -> list[dict]:
    history: list[dict] = []
    scores: dict[str, list[int]] = {}
    for o in opinions:  # oldest first, so a customer's earlier scores are known
        earlier = [] if o["internal"] else scores.setdefault(o["customer"]["cnpj"], [])
        if rng.random() < treat_probability(o):
            history += [r for r in story(rng, o, earlier[:]) if r["at"] <= CUTOFF]
        earlier.append(o["score"])
    order = {o["id"]: i for i, o in enumerate(opinions)}
    return sorted(history, key=lambda r: (r["at"], order[r["external_id"]]))


# ---------------------------------------------------------------- output and self-check
def write_csv(name: str, lines: list[list], encoding: str = "utf-8", **dialect: str) -> None:
    buf = io.StringIO()
    csv.writer(buf, **({"lineterminator": "\n"} | dialect)).writerows(lines)
    (OUT / name).write_bytes(buf.getvalue().encode(encoding))


def read_csv(name: str, encoding: str = "utf-8", delimiter: str = ",") -> list[dict]:
    with (OUT / name).open(encoding=encoding, newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    customers = make_customers(rng)
    opinions = make_opinions(rng, customers)
    history = make_history(rng, opinions)
    (OUT / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    mail = {u: f"{u}.{ascii_lower(name).split()[-1]}@durasoft.com.br" for u, name, _ in ANALYSTS}
    analysts = [[u, name, mail[u], role] for u, name, role in ANALYSTS]
    write_csv("analysts.csv", [["username", "name", "email", "role"], *analysts])
    write_csv("categories.csv", [["name"]] + [[name] for name in CATEGORIES])
    body = [[c[k] for k in CUSTOMERS_HEADER] + [f"{c['served']:%d/%m/%Y}"] for c in customers]
    header = [*CUSTOMERS_HEADER, "data_atendimento_importacao"]
    write_csv("customers.csv", [header, *body], delimiter=";")
    keys = ["nome", "email", "telefone", "cnpj", "razao_social", "produto", "vertical"]
    body = [
        [o["id"], f"{o['sent']:{DT}}", f"{o['answered']:{DT}}", o["score"], o["comment"]]
        + [o["customer"][k] for k in keys]
        + [f"NPS {MONTHS[o['answered'].month]} 2026", "Sim" if o["internal"] else "Não"]
        for o in opinions
    ]
    write_csv("respostas.csv", [RESPOSTAS_HEADER, *body], "cp1252", **EXCEL)
    body = [
        [f"{r['at']:{DT}}" if k == "at" else r.get(k, "") for k in HISTORY_HEADER] for r in history
    ]
    write_csv("history.csv", [HISTORY_HEADER, *body])
    self_check()


def self_check() -> None:
    assert cnpj_valid("11.222.333/0001-81")
    assert cnpj_valid("12.ABC.345/01DE-35")
    assert not cnpj_valid("11.111.111/1111-11")
    raw = (OUT / "respostas.csv").read_bytes()
    assert raw.decode("cp1252").encode("cp1252") == raw
    customers, history = read_csv("customers.csv", delimiter=";"), read_csv("history.csv")
    answers = read_csv("respostas.csv", "cp1252", ";")
    analysts = {r["username"] for r in read_csv("analysts.csv")}
    categories = {r["name"] for r in read_csv("categories.csv")}
    assert all(cnpj_valid(c["cnpj"]) for c in customers)
    served = [datetime.strptime(c["data_atendimento_importacao"], "%d/%m/%Y") for c in customers]
    assert all(0 < (ANCHOR - d.date()).days <= 120 for d in served)
    assert all(cnpj_valid(a["CNPJ"]) for a in answers)
    assert len({a["ID da resposta"] for a in answers}) == len(answers)
    external = [a for a in answers if a["Pesquisa interna"] == "Não"]
    assert {a["CNPJ"] for a in external} <= {c["cnpj"] for c in customers}
    assert len({(a["CNPJ"], a["Campanha"]) for a in external}) == len(external)
    answered = {a["ID da resposta"]: datetime.strptime(a["Data da resposta"], DT) for a in answers}
    sent = {a["ID da resposta"]: datetime.strptime(a["Data de envio"], DT) for a in answers}
    assert all(sent[i] < answered[i] for i in answered)
    assert max(answered.values()).date() >= ANCHOR - timedelta(days=1)
    internal = {a["ID da resposta"] for a in answers} - {a["ID da resposta"] for a in external}
    last: dict[str, datetime] = {}
    for r in history:
        at, oid = datetime.strptime(r["at"], DT), r["external_id"]
        assert oid in answered, r
        assert r["actor"] in analysts, r
        assert max(answered[oid], last.get(oid, answered[oid])) < at <= CUTOFF, r
        assert (ANCHOR - answered[oid].date()).days > 3, r
        assert not (oid in internal and r["action"] in ("email", "contact")), r
        if r["action"] == "close":
            assert r["type"], r
            assert r["category"] in categories, r
            assert r["responsible"] in analysts, r
        last[oid] = at
    summary(customers, answers, history, answered)


def counts(rows: list[dict], key: str) -> dict[str, int]:
    return dict(Counter(r[key] for r in rows).most_common())


def summary(customers: list[dict], answers: list[dict], history: list, answered: dict) -> None:
    classes = Counter(nps_class(int(a["Nota"])) for a in answers)
    nps = round(100 * (classes["promoter"] - classes["detractor"]) / len(answers))
    per_customer = Counter(a["CNPJ"] for a in answers if a["Pesquisa interna"] == "Não")
    answers_per_customer = dict(sorted(Counter(per_customer.values()).items()))
    old = {i for i, t in answered.items() if (ANCHOR - t.date()).days > 7}
    treated = {r["external_id"] for r in history}
    alnum = sum(any(ch.isalpha() for ch in c["cnpj"]) for c in customers)
    no_email = sum(not c["email"] for c in customers)
    no_phone = sum(not c["telefone"] for c in customers)
    empty = sum(not a["Comentário"] for a in answers)
    broken = sum("\n" in a["Comentário"] for a in answers)
    print(f"customers.csv {len(customers)} rows, {len(counts(customers, 'uf'))} states")
    print(f"  {alnum} alphanumeric CNPJs, {no_email} without e-mail, {no_phone} without phone")
    print(f"respostas.csv {len(answers)} rows, internal {counts(answers, 'Pesquisa interna')}")
    print(f"  {empty} without comment, {broken} comments with a line break")
    print(f"  classes {dict(classes)}, NPS {nps}")
    print(f"  per vertical {counts(answers, 'Vertical')}")
    print(f"  per campaign {counts(answers, 'Campanha')}")
    print(f"  answered {min(answered.values()):{DT}} .. {max(answered.values()):{DT}}")
    print(f"  {len(per_customer)} customers answered; answers per customer {answers_per_customer}")
    print(f"history.csv {len(history)} rows on {len(treated)} opinions")
    print(f"  {len(treated & old)} of {len(old)} opinions older than 7 days have history")
    print(f"  per action {counts(history, 'action')}")


if __name__ == "__main__":
    main()
