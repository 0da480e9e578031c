package demo

// The tables below are common given names and surnames of each origin. The
// people built from them are fictional: a name, a document number and a
// phone are drawn independently, so any match with a real person is chance.

// origin is a group of countries sharing name tables.
type origin int

const (
	hispanic origin = iota
	maghrebi
	ukrainian
)

// nationality is a country of the pilot with its weight (people out of 36)
// and the tables its names come from.
type nationality struct {
	code   string // ISO 3166-1 alpha-2
	weight int
	origin origin
	// language is what the person speaks natively, for Person.Languages.
	language string
}

// nationalities are weighted like the pilot's 36 referrals (DOMAIN.md).
var nationalities = []nationality{
	{"VE", 11, hispanic, "Español nativo"},
	{"PE", 10, hispanic, "Español nativo"},
	{"CO", 4, hispanic, "Español nativo"},
	{"HN", 3, hispanic, "Español nativo"},
	{"BO", 2, hispanic, "Español nativo"},
	{"UA", 1, ukrainian, "Ucraniano nativo - Ruso C1"},
	{"MA", 1, maghrebi, "Árabe nativo - Francés B2"},
	{"EC", 1, hispanic, "Español nativo"},
	{"SD", 1, maghrebi, "Árabe nativo"},
	{"SV", 1, hispanic, "Español nativo"},
	{"AR", 1, hispanic, "Español nativo"},
}

// names holds the given names (by gender) and surnames of one origin.
type names struct {
	women, men []string
	surnames   []string
	twoSurname bool // Spanish custom: father's and mother's surname
}

var nameTables = [...]names{
	hispanic: {
		women: []string{
			"María", "Ana", "Carmen", "Laura", "Daniela", "Valentina", "Gabriela",
			"Andrea", "Mariana", "Camila", "Sofía", "Isabel", "Lucía", "Paola",
			"Carolina", "Alejandra", "Patricia", "Rosa", "Yolanda", "Gloria",
			"Milagros", "Yessenia", "Katherine", "Yuliana", "Marisol", "Diana",
			"Natalia", "Verónica", "Fernanda", "Lorena", "Elena", "Claudia",
			"Ximena", "Jimena", "Nayeli", "Mónica", "Luz Marina", "María José",
			"Ana Lucía", "María Fernanda", "Rocío", "Pilar", "Beatriz", "Esther",
			"Susana", "Teresa", "Silvia", "Raquel", "Noelia", "Inés",
		},
		men: []string{
			"José", "Luis", "Carlos", "Juan", "Jorge", "Miguel", "Pedro",
			"Andrés", "Alejandro", "Daniel", "David", "Diego", "Fernando",
			"Javier", "Ricardo", "Roberto", "Óscar", "Eduardo", "Manuel",
			"Víctor", "Héctor", "Raúl", "Julio", "César", "Wilmer", "Yeison",
			"Jhon", "Kevin", "Brayan", "Édgar", "Franklin", "Nelson", "Gustavo",
			"Rafael", "Santiago", "Mateo", "Sebastián", "Juan Carlos",
			"José Luis", "Luis Alberto", "Jesús", "Francisco", "Antonio",
			"Álvaro", "Sergio", "Iván", "Rubén", "Ángel", "Hugo", "Martín",
		},
		surnames: []string{
			"García", "Rodríguez", "González", "Fernández", "López", "Martínez",
			"Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández",
			"Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez",
			"Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez",
			"Serrano", "Blanco", "Molina", "Morales", "Suárez", "Ortega", "Delgado",
			"Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Núñez", "Iglesias",
			"Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano", "Guerrero",
			"Cano", "Prieto", "Méndez", "Cruz", "Flores", "Herrera", "Peña",
			"León", "Márquez", "Cabrera", "Gallego", "Calvo", "Vidal", "Campos",
			"Vega", "Fuentes", "Carrasco", "Diez", "Reyes", "Caballero", "Nieto",
			"Aguilar", "Pascual", "Santana", "Herrero", "Montero", "Lorenzo",
			"Hidalgo", "Giménez", "Ibáñez", "Ferrer", "Durán", "Vargas", "Mendoza",
			"Rojas", "Quispe", "Mamani", "Huamán", "Chávez", "Salazar", "Paredes",
			"Villanueva", "Espinoza", "Cárdenas", "Zambrano", "Contreras",
			"Valencia", "Carrillo", "Figueroa", "Acosta", "Benítez", "Sosa",
			"Pineda", "Zelaya", "Bonilla", "Cáceres", "Maldonado", "Ponce",
			"Córdoba", "Osorio", "Salinas", "Aguirre", "Quintero", "Bermúdez",
			"Palacios", "Rivas", "Toledo", "Arias", "Escobar", "Lara", "Miranda",
			"de la Cruz", "del Valle", "de los Santos",
		},
		twoSurname: true,
	},
	maghrebi: {
		women: []string{
			"Fátima", "Khadija", "Aicha", "Meriem", "Nadia", "Salma", "Samira",
			"Naima", "Hafsa", "Yasmina", "Zineb", "Imane", "Loubna", "Amina",
			"Hanane", "Souad", "Malika", "Ikram", "Sara", "Rania",
		},
		men: []string{
			"Mohamed", "Ahmed", "Youssef", "Hassan", "Omar", "Karim", "Rachid",
			"Said", "Mustafa", "Abdelkader", "Hamza", "Ayoub", "Mehdi", "Bilal",
			"Tarik", "Nabil", "Ismail", "Anas", "Adil", "Ibrahim",
		},
		surnames: []string{
			"El Amrani", "Benali", "El Idrissi", "Bouazza", "Alaoui", "Tahiri",
			"El Fassi", "Bennani", "Chraibi", "Ouali", "Haddad", "Mansouri",
			"El Khattabi", "Ziani", "Berrada", "Lahlou", "Amrani", "Kettani",
			"Naciri", "Belkadi", "Osman", "Abdallah", "Hamid", "Yousif",
			"Elamin", "Babiker", "Musa", "Ibrahim", "Suleiman", "Adam",
		},
	},
	ukrainian: {
		women: []string{
			"Olena", "Oksana", "Iryna", "Natalia", "Tetiana", "Yulia", "Svitlana",
			"Kateryna", "Olha", "Mariia", "Anastasiia", "Viktoriia", "Halyna",
			"Liudmyla", "Daryna", "Sofiia",
		},
		men: []string{
			"Oleksandr", "Andrii", "Serhii", "Dmytro", "Volodymyr", "Mykola",
			"Ivan", "Yurii", "Vasyl", "Oleh", "Bohdan", "Taras", "Maksym",
			"Artem", "Denys", "Roman",
		},
		surnames: []string{
			"Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko",
			"Melnyk", "Boiko", "Koval", "Oliinyk", "Lysenko", "Marchenko",
			"Savchenko", "Rudenko", "Petrenko", "Moroz", "Pavlenko", "Kushnir",
			"Levchenko", "Hnatiuk", "Polishchuk", "Tkachuk", "Shapoval",
		},
	},
}

// streets are common Madrid street names for fictional addresses.
var streets = []string{
	"Calle de Bravo Murillo", "Calle de Francos Rodríguez", "Calle de la Oca",
	"Avenida de la Albufera", "Calle del General Ricardos", "Calle de Antonio López",
	"Calle de Marcelo Usera", "Paseo de Extremadura", "Calle de Alcalá",
	"Calle de Toledo", "Calle de Embajadores", "Calle de Almansa",
	"Calle de Topete", "Calle de la Infanta Mercedes", "Avenida de Oporto",
	"Calle de Sierra Toledana", "Calle de los Hermanos García Noblejas",
	"Calle de Santa Engracia", "Calle de Pinos Alta", "Calle de Valdeacederas",
	"Calle del Puerto de Canfranc", "Avenida de Rafael Finat", "Calle de Carabanchel Alto",
	"Calle de Ginzo de Limia", "Calle de la Sierra de Cuerda Larga",
}

// towns are where people live: mostly Madrid, some the southern belt,
// each with its range of postal codes.
var towns = []struct {
	name          string
	postal, count int // first postal code and how many follow it
	weight        int
}{
	{"Madrid", 28001, 55, 80},
	{"Móstoles", 28930, 8, 4},
	{"Alcorcón", 28920, 5, 4},
	{"Getafe", 28901, 9, 4},
	{"Fuenlabrada", 28940, 7, 3},
	{"Leganés", 28910, 9, 3},
	{"Parla", 28980, 4, 2},
}

var emailDomains = []string{"gmail.com", "gmail.com", "gmail.com", "hotmail.com", "outlook.es", "yahoo.es", "hotmail.es"}

// companies are fictional employers for experience and job offers.
var companies = []string{
	"Restaurante La Brasa de Tetuán", "Limpiezas Solana S.L.", "Cuidados Aurora",
	"Hostelería Castellana S.L.", "Transportes Ribera Sur", "Panadería El Trigal",
	"Almacenes Logísticos del Henares", "Hotel Plaza Mayor Centro", "Reformas Usera S.L.",
	"Residencia de mayores Los Olmos", "Supermercados Barrio Verde", "Cafetería El Rincón",
	"Mensajería Rápida Madrid", "Jardinería Casa de Campo S.L.", "Catering Lavapiés",
}

// sectors are job families for interests, interviews and offers.
var sectors = []string{
	"hostelería", "limpieza", "cuidado de personas mayores", "logística y almacén",
	"comercio", "construcción", "cocina", "atención al cliente", "administración",
	"informática", "peluquería y estética", "mantenimiento", "reparto", "jardinería",
}

// jobs are job titles for experience and offers.
var jobs = []string{
	"Camarero/a", "Ayudante de cocina", "Auxiliar de limpieza", "Cuidador/a",
	"Mozo/a de almacén", "Dependiente/a", "Peón de obra", "Cajero/a",
	"Auxiliar administrativo/a", "Repartidor/a", "Recepcionista", "Cocinero/a",
	"Conductor/a", "Técnico/a de mantenimiento", "Peluquero/a", "Enfermero/a",
	"Profesor/a", "Contable", "Ingeniero/a civil", "Programador/a",
}

// courses are training names with their usual hours.
var courses = []struct {
	name  string
	hours int
}{
	{"Manipulador de alimentos", 10}, {"Prevención de riesgos laborales", 20},
	{"Atención sociosanitaria a personas dependientes", 450}, {"Carretillero", 30},
	{"Español para el empleo A2", 60}, {"Competencias digitales básicas", 40},
	{"Operaciones básicas de cocina", 350}, {"Actividades de venta", 590},
	{"Limpieza de superficies y mobiliario", 230}, {"Ofimática", 190},
	{"Servicios de bar y cafetería", 640}, {"Atención al cliente", 60},
}

// studies are titles by level of studies (index in data.EducationLevels,
// from Bachillerato up).
var studies = map[int][]string{
	3: {"Bachiller", "Bachiller en Ciencias", "Bachillerato técnico en Informática", "Bachillerato en Humanidades"},
	4: {"Técnico en Electricidad", "Técnico en Gastronomía", "Técnico en Enfermería", "Técnico en Mecánica automotriz"},
	5: {"Técnico Superior Universitario en Administración", "Técnico Superior en Informática", "Técnico Superior en Contabilidad", "Técnico Superior en Turismo"},
	6: {"Licenciatura en Educación", "Ingeniería Civil", "Enfermería", "Contaduría Pública", "Derecho", "Administración de Empresas", "Psicología", "Arquitectura", "Odontología"},
	7: {"Máster en Gestión de Proyectos", "Máster en Educación", "Doctorado en Química", "Especialización en Pediatría"},
}

var weekdays = [...]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"}

var months = [...]string{"", "enero", "febrero", "marzo", "abril", "mayo", "junio",
	"julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
