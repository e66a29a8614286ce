// Names for demo people. Lists run from common to rare (they are picked with a Zipf-like weighting).
// Names are plain ASCII, as prison records hold them (NOMIS stores names without diacritics), so that
// searching "wojcik" finds Wojcik.

/** Splits a comma-separated list written across lines. */
function list(text: string): readonly string[] {
  return text
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
}

export interface NamePool {
  first: readonly string[]
  last: readonly string[]
}

/** British men born 1955-2006, white British. */
export const WHITE_BRITISH: NamePool = {
  first: list(`
  James, Daniel, David, Michael, Christopher, Matthew, Paul, Mark, Andrew, Thomas, Ryan, Lee, Jamie,
  John, Richard, Liam, Craig, Adam, Darren, Steven, Kieran, Jordan, Connor, Luke, Jack, Nathan, Ashley,
  Dean, Scott, Robert, Kyle, Aaron, Wayne, Carl, Callum, Jason, Anthony, Gary, Kevin, Shaun, Stephen,
  Joshua, Reece, Jake, Lewis, Samuel, Benjamin, Joseph, William, Peter, Simon, Martin, Neil, Ian,
  Stuart, Gavin, Shane, Bradley, Mitchell, Jonathan, Alan, Brian, Keith, Philip, Terry, Tony, Billy,
  Harry, Charlie, George, Alfie, Tyler, Declan, Sean, Owen, Dale, Glen, Barry, Graham, Colin, Trevor,
  Nicholas, Tom, Sam, Joe, Marc, Elliot, Leon, Curtis, Brandon, Kane, Ricky, Danny, Jay, Rhys, Gareth,
  Kenneth, Raymond, Derek, Frank, Ross, Warren
`),
  last: list(`
  Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, Wright, Thompson, Evans,
  Walker, White, Roberts, Green, Hall, Wood, Jackson, Clarke, Harris, Edwards, Turner, Martin, Cooper,
  Hill, Ward, Hughes, Moore, Clark, King, Harrison, Lewis, Baker, Lee, Allen, Morris, Scott, Watson,
  Davis, Parker, James, Bennett, Young, Phillips, Richardson, Mitchell, Bailey, Carter, Cook, Shaw,
  Bell, Collins, Morgan, Kelly, Miller, Cox, Marshall, Simpson, Price, Anderson, Adams, Wilkinson,
  Foster, Ellis, Murphy, Chapman, Mason, Gray, Richards, Webb, Griffiths, Hunt, Palmer, Campbell,
  Holmes, Mills, Rogers, Barnes, Knight, Matthews, Barker, Powell, Stevens, Dixon, Lloyd, Butler,
  Fletcher, Pearson, Harvey, Gibson, Howard, Atkinson, Walsh, Dawson, Booth, Hudson, Smithson,
  Smithers, Naylor, Hirst, Sutcliffe, Brook, Firth, Haigh, Binns, Ackroyd, Greenwood, Kershaw,
  Lockwood, Mellor
`),
}

/** British Asian men of Pakistani and Bangladeshi heritage. */
export const ASIAN_BRITISH: NamePool = {
  first: list(`
  Mohammed, Muhammad, Imran, Adil, Hamza, Bilal, Zain, Amir, Asif, Tariq, Kamran, Sajid, Usman, Faisal,
  Adnan, Shahid, Zeeshan, Jamal, Abdul, Rizwan, Waqar, Yasir, Nadeem, Shabir, Aqib
`),
  last: list(`
  Khan, Hussain, Ahmed, Ali, Iqbal, Mahmood, Akhtar, Rashid, Shah, Butt, Malik, Rahman, Miah, Uddin,
  Islam, Chaudhry, Mirza, Hassan, Raza, Aslam, Javed, Anwar, Bashir
`),
}

/** British Asian men of Indian (Sikh and Hindu) heritage. */
export const INDIAN_BRITISH: NamePool = {
  first: list(`
  Jaspal, Gurpreet, Harjit, Sukhdeep, Ravi, Arjun, Sunil, Manjit, Rajinder, Kuldip, Amit, Vijay, Sanjay,
  Dev, Nikhil, Jasvir, Balvinder, Hardeep
`),
  last: list(`
  Singh, Patel, Sandhu, Gill, Dhillon, Bains, Sharma, Kumar, Mistry, Sidhu, Johal, Atwal, Mann, Chahal,
  Parmar, Solanki
`),
}

/** Black British men (Caribbean and African heritage). */
export const BLACK_BRITISH: NamePool = {
  first: list(`
  Tyrone, Jermaine, Marcus, Leon, Dwayne, Jerome, Andre, Kwame, Kofi, Jamal, Malachi, Isaiah, Elijah,
  Emmanuel, Daniel, Joshua, Nathaniel, Kyle, Reuben, Tobi, Femi, Tunde, Ade, Abdi, Mohamed, Junior,
  Delroy, Winston, Trevor, Aaron, Michael, David
`),
  last: list(`
  Campbell, Williams, Brown, Johnson, Thompson, Clarke, Francis, Grant, Henry, Reid, Richards, Smith,
  Lewis, Morgan, Stewart, Walker, Mensah, Osei, Boateng, Okafor, Adeyemi, Okonkwo, Mohamed, Abdi,
  Hassan, Farah, Edwards, Bailey, James, Samuels
`),
}

/** Welsh surnames and first names, for establishments in Wales. */
export const WELSH: NamePool = {
  first: list(`
  Rhys, Dylan, Gareth, Owain, Aled, Rhodri, Dafydd, Gethin, Iwan, Huw, Emyr, Llyr, Kieran, Ryan, Jamie,
  Lee, Craig, Liam, Daniel, Jack, Lewis, Callum, Kyle, Dean
`),
  last: list(`
  Jones, Williams, Davies, Evans, Thomas, Roberts, Lewis, Hughes, Morgan, Griffiths, Price, Rees, Owen,
  Lloyd, Jenkins, Powell, Parry, Pritchard, Vaughan, Bowen, Howells, Pugh, Rowlands, Phillips, Edwards,
  James, Morris, Richards, Harris, Watkins
`),
}

/** Women's first names, for staff (about a third of band 3-5 officers are women). */
export const WOMEN_FIRST: readonly string[] = list(`
  Sarah, Emma, Laura, Rebecca, Claire, Gemma, Amy, Hannah, Rachel, Kelly, Lisa, Nicola, Jessica,
  Charlotte, Sophie, Katie, Lucy, Samantha, Emily, Victoria, Stacey, Jade, Leanne, Natalie, Joanne,
  Michelle, Helen, Karen, Louise, Zoe, Danielle, Jennifer, Chloe, Megan, Amanda, Donna, Tracey, Kirsty,
  Hayley, Jodie, Aisha, Priya, Sana, Grace, Abigail
`)

export interface Nationality {
  name: string
  /** share among foreign nationals in custody (relative weights) */
  weight: number
  /** first language codes (src/domain/languages.ts) with weights */
  languages: readonly (readonly [string, number])[]
  /** share of the non-English speakers who need an interpreter */
  interpreter: number
  names: NamePool
}

/** The foreign national population of prisons in England and Wales, largest groups first (approximate shares). */
export const NATIONALITIES: readonly Nationality[] = [
  {
    name: 'Albanian',
    weight: 14,
    languages: [['sq', 1]],
    interpreter: 0.55,
    names: {
      first: list(`
  Arben, Besnik, Dritan, Ermal, Fatjon, Gentian, Ilir, Kledi, Klodian, Mariglen, Olsi, Redon, Sokol,
  Elton, Erion, Endrit, Artan, Altin, Armando, Florian, Bledar, Mergim, Xhuljo, Aldo, Ervin, Kristian,
  Renaldo, Denis, Julian, Erald
`),
      last: list(`
  Hoxha, Shehu, Gjoka, Krasniqi, Dervishi, Leka, Marku, Cela, Kola, Prifti, Xhafa, Basha, Mema, Rama,
  Hysa, Brahimi, Gashi, Berisha, Lika, Duka, Dema, Kurti, Zeneli, Muca, Kaci, Gjoni, Bushati, Hasani,
  Mehmeti, Tahiri
`),
    },
  },
  {
    name: 'Polish',
    weight: 7.5,
    languages: [['pl', 1]],
    interpreter: 0.45,
    names: {
      first: list(`
  Piotr, Krzysztof, Tomasz, Marcin, Pawel, Michal, Lukasz, Jakub, Kamil, Dawid, Mateusz, Adrian,
  Sebastian, Grzegorz, Rafal, Damian, Wojciech, Przemyslaw, Dariusz, Artur
`),
      last: list(`
  Nowak, Kowalski, Wisniewski, Wojcik, Kowalczyk, Kaminski, Lewandowski, Zielinski, Szymanski, Wozniak,
  Dabrowski, Kozlowski, Jankowski, Mazur, Kwiatkowski, Krawczyk, Piotrowski, Grabowski, Nowakowski,
  Pawlowski
`),
    },
  },
  {
    name: 'Romanian',
    weight: 7,
    languages: [
      ['ro', 0.88],
      ['rom', 0.12],
    ],
    interpreter: 0.5,
    names: {
      first: list(`
  Ionut, Florin, Marius, Adrian, Bogdan, Cristian, Alexandru, Andrei, Gheorghe, Ion, Mihai, Costel,
  Nicolae, Vasile, Constantin, Catalin, Sorin, Ciprian, Dumitru, Daniel
`),
      last: list(`
  Popescu, Ionescu, Popa, Dumitru, Stan, Stoica, Gheorghe, Munteanu, Constantin, Rusu, Lazar, Matei,
  Ciobanu, Florea, Dinu, Mihai, Tudor, Marin, Radu, Moldovan
`),
    },
  },
  {
    name: 'Irish',
    weight: 5.5,
    languages: [['en', 1]],
    interpreter: 0,
    names: {
      first: list(`
  Sean, Patrick, Michael, John, Declan, Ciaran, Padraig, Eoin, Conor, Niall, Darragh, Cathal, Kevin,
  Brendan, Thomas, Martin, Shane, Dermot, Aidan, Fergal
`),
      last: list(`
  Murphy, Kelly, O'Sullivan, Walsh, Byrne, O'Brien, Ryan, O'Connor, O'Neill, Reilly, Doyle, McCarthy,
  Gallagher, Doherty, Kennedy, Lynch, Murray, Quinn, McDonagh, Connors, Joyce, Ward, Maughan, Daly,
  Carroll
`),
    },
  },
  {
    name: 'Lithuanian',
    weight: 3.6,
    languages: [
      ['lt', 0.85],
      ['ru', 0.15],
    ],
    interpreter: 0.45,
    names: {
      first: list(`
  Tomas, Mindaugas, Darius, Andrius, Giedrius, Marius, Rolandas, Vytautas, Aurimas, Egidijus, Arunas,
  Donatas, Saulius, Paulius, Mantas, Deividas
`),
      last: list(`
  Kazlauskas, Jankauskas, Petrauskas, Stankevicius, Vasiliauskas, Zukauskas, Butkus, Paulauskas,
  Urbonas, Kavaliauskas, Baranauskas, Navickas, Sakalauskas, Rimkus
`),
    },
  },
  {
    name: 'Jamaican',
    weight: 3,
    languages: [['en', 1]],
    interpreter: 0,
    names: {
      first: list('Delroy, Winston, Leroy, Oneil, Andre, Kemar, Ricardo, Dwayne, Horace, Clive'),
      last: list('Brown, Campbell, Williams, Thompson, Reid, Henry, Clarke, Grant, Morgan, Stewart'),
    },
  },
  {
    name: 'Pakistani',
    weight: 2.8,
    languages: [
      ['ur', 0.6],
      ['pa', 0.25],
      ['en', 0.15],
    ],
    interpreter: 0.3,
    names: ASIAN_BRITISH,
  },
  {
    name: 'Vietnamese',
    weight: 2.7,
    languages: [['vi', 1]],
    interpreter: 0.75,
    names: {
      first: list('Van Hung, Van Minh, Duc Tuan, Van Dung, Thanh, Van Duc, Quang, Van Hai, Van Nam'),
      last: list('Nguyen, Tran, Le, Pham, Hoang, Phan, Vu, Dang, Bui, Do'),
    },
  },
  {
    name: 'Indian',
    weight: 2.5,
    languages: [
      ['pa', 0.4],
      ['hi', 0.25],
      ['gu', 0.15],
      ['en', 0.2],
    ],
    interpreter: 0.25,
    names: {
      first: list('Rajesh, Sanjay, Amit, Vikram, Harjit, Gurpreet, Jaswinder, Sukhdev, Rakesh, Deepak'),
      last: list('Singh, Patel, Sharma, Kumar, Gill, Sandhu, Sidhu, Dhillon, Grewal, Mehta'),
    },
  },
  {
    name: 'Somali',
    weight: 2.3,
    languages: [
      ['so', 0.8],
      ['en', 0.2],
    ],
    interpreter: 0.4,
    names: {
      first: list('Abdi, Mohamed, Ahmed, Abdullahi, Hassan, Omar, Yusuf, Ibrahim, Abdirahman, Liban'),
      last: list('Mohamed, Ali, Hassan, Abdi, Farah, Omar, Warsame, Jama, Nur, Osman'),
    },
  },
  {
    name: 'Portuguese',
    weight: 2,
    languages: [['pt', 1]],
    interpreter: 0.4,
    names: {
      first: list('Joao, Pedro, Rui, Nuno, Tiago, Bruno, Ricardo, Paulo, Carlos, Miguel'),
      last: list('Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins, Sousa, Gomes'),
    },
  },
  {
    name: 'Iraqi',
    weight: 2,
    languages: [
      ['ku', 0.5],
      ['ar', 0.5],
    ],
    interpreter: 0.55,
    names: {
      first: list('Karwan, Rebin, Dilshad, Hawkar, Mustafa, Omar, Haider, Ali, Hussein, Ahmed'),
      last: list('Ali, Mohammed, Hassan, Abdullah, Karim, Aziz, Rasul, Qadir, Jabbar, Salih'),
    },
  },
  {
    name: 'Nigerian',
    weight: 1.8,
    languages: [['en', 1]],
    interpreter: 0,
    names: {
      first: list('Chukwuemeka, Oluwaseun, Adebayo, Emeka, Tunde, Chinedu, Ifeanyi, Segun, Obinna'),
      last: list('Okafor, Adeyemi, Okonkwo, Olawale, Eze, Nwosu, Balogun, Ogunleye, Okoro'),
    },
  },
  {
    name: 'Iranian',
    weight: 1.5,
    languages: [
      ['fa', 0.7],
      ['ku', 0.3],
    ],
    interpreter: 0.55,
    names: {
      first: list('Reza, Ali, Mohammad, Hossein, Amir, Mehdi, Saeed, Hamid, Behzad, Arash'),
      last: list('Ahmadi, Hosseini, Mohammadi, Rezaei, Moradi, Karimi, Jafari, Rahimi, Kazemi, Azizi'),
    },
  },
  {
    name: 'Eritrean',
    weight: 1.4,
    languages: [['ti', 1]],
    interpreter: 0.7,
    names: {
      first: list('Tesfaye, Yonas, Samuel, Dawit, Filmon, Haile, Mehari, Robel, Kibrom, Tekle'),
      last: list('Tesfay, Gebremedhin, Haile, Berhane, Kidane, Tekle, Woldu, Ghebre, Abraha'),
    },
  },
  {
    name: 'Afghan',
    weight: 1.4,
    languages: [
      ['ps', 0.5],
      ['fa', 0.5],
    ],
    interpreter: 0.65,
    names: {
      first: list('Ahmad, Mohammad, Abdul, Rahmatullah, Noorullah, Jawed, Farid, Naveed, Sayed'),
      last: list('Ahmadzai, Stanikzai, Popal, Rahimi, Safi, Noori, Hakimi, Sultani, Wardak'),
    },
  },
  {
    name: 'Latvian',
    weight: 1.4,
    languages: [
      ['lv', 0.6],
      ['ru', 0.4],
    ],
    interpreter: 0.45,
    names: {
      first: list('Janis, Andris, Edgars, Maris, Raivis, Kristaps, Arturs, Aleksandrs, Dmitrijs'),
      last: list('Berzins, Kalnins, Ozols, Jansons, Liepins, Krumins, Ivanovs, Petrovs, Smirnovs'),
    },
  },
  {
    name: 'Bulgarian',
    weight: 1.3,
    languages: [['bg', 1]],
    interpreter: 0.5,
    names: {
      first: list('Georgi, Ivan, Dimitar, Nikolay, Stoyan, Todor, Hristo, Petar, Angel, Plamen'),
      last: list('Ivanov, Georgiev, Dimitrov, Petrov, Nikolov, Todorov, Stoyanov, Iliev, Angelov'),
    },
  },
  {
    name: 'Sudanese',
    weight: 1.2,
    languages: [['ar', 1]],
    interpreter: 0.55,
    names: {
      first: list('Mohamed, Ahmed, Osman, Abdelrahman, Adam, Ibrahim, Yousif, Hamid'),
      last: list('Osman, Ahmed, Mohamed, Ibrahim, Abdalla, Adam, Hamid, Elamin'),
    },
  },
  {
    name: 'Chinese',
    weight: 1.1,
    languages: [
      ['zh', 0.7],
      ['yue', 0.3],
    ],
    interpreter: 0.7,
    names: {
      first: list('Wei, Jun, Hao, Lei, Ming, Jian, Tao, Bo, Kai, Ka Wai'),
      last: list('Chen, Wang, Li, Zhang, Liu, Yang, Huang, Zhao, Chan, Wong'),
    },
  },
  {
    name: 'Turkish',
    weight: 1.1,
    languages: [
      ['tr', 0.8],
      ['ku', 0.2],
    ],
    interpreter: 0.5,
    names: {
      first: list('Mehmet, Mustafa, Ahmet, Ali, Huseyin, Hasan, Ibrahim, Ismail, Murat, Emre'),
      last: list('Yilmaz, Kaya, Demir, Sahin, Celik, Yildiz, Aydin, Ozturk, Arslan, Dogan'),
    },
  },
  {
    name: 'Slovak',
    weight: 0.9,
    languages: [
      ['sk', 0.65],
      ['rom', 0.35],
    ],
    interpreter: 0.45,
    names: {
      first: list('Jozef, Peter, Martin, Tomas, Lukas, Marek, Milan, Roman'),
      last: list('Horvath, Kovac, Varga, Toth, Balaz, Lakatos, Gabor, Olah'),
    },
  },
  {
    name: 'Czech',
    weight: 0.8,
    languages: [
      ['cs', 0.7],
      ['rom', 0.3],
    ],
    interpreter: 0.45,
    names: {
      first: list('Jan, Petr, Pavel, Jiri, Tomas, Lukas, Jakub, Martin'),
      last: list('Novak, Svoboda, Dvorak, Cerny, Prochazka, Kucera, Vesely, Horak'),
    },
  },
  {
    name: 'Ukrainian',
    weight: 0.8,
    languages: [
      ['uk', 0.6],
      ['ru', 0.4],
    ],
    interpreter: 0.5,
    names: {
      first: list('Oleksandr, Andriy, Serhiy, Dmytro, Volodymyr, Yuriy, Vasyl, Mykola'),
      last: list('Melnyk, Shevchenko, Kovalenko, Bondarenko, Tkachenko, Kravchenko, Oliynyk, Shevchuk'),
    },
  },
  {
    name: 'Spanish',
    weight: 0.8,
    languages: [['es', 1]],
    interpreter: 0.3,
    names: {
      first: list('Jose, Antonio, Manuel, Francisco, Juan, Javier, Carlos, Alejandro'),
      last: list('Garcia, Rodriguez, Gonzalez, Fernandez, Lopez, Martinez, Sanchez, Perez'),
    },
  },
  {
    name: 'Italian',
    weight: 0.7,
    languages: [['it', 1]],
    interpreter: 0.3,
    names: {
      first: list('Giuseppe, Marco, Luca, Andrea, Francesco, Alessandro, Matteo, Davide'),
      last: list('Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci'),
    },
  },
  {
    name: 'Hungarian',
    weight: 0.7,
    languages: [['hu', 1]],
    interpreter: 0.5,
    names: {
      first: list('Laszlo, Zoltan, Istvan, Gabor, Attila, Tamas, Janos, Ferenc'),
      last: list('Nagy, Kovacs, Toth, Szabo, Horvath, Varga, Kiss, Molnar'),
    },
  },
  {
    name: 'Bangladeshi',
    weight: 0.7,
    languages: [
      ['bn', 0.85],
      ['en', 0.15],
    ],
    interpreter: 0.4,
    names: {
      first: list('Mohammed, Abdul, Shahid, Jamal, Rahim, Kamal, Shafiq, Nazrul'),
      last: list('Miah, Uddin, Rahman, Ahmed, Islam, Hoque, Ali, Chowdhury'),
    },
  },
  {
    name: 'Ghanaian',
    weight: 0.7,
    languages: [['en', 1]],
    interpreter: 0,
    names: {
      first: list('Kwame, Kofi, Kwabena, Yaw, Kwesi, Emmanuel, Samuel, Isaac'),
      last: list('Mensah, Osei, Boateng, Owusu, Asante, Appiah, Agyemang, Amoah'),
    },
  },
  {
    name: 'Dutch',
    weight: 0.5,
    languages: [['nl', 1]],
    interpreter: 0.05,
    names: {
      first: list('Jeroen, Sander, Thijs, Bas, Ruben, Daan'),
      last: list('de Jong, Jansen, de Vries, van Dijk, Bakker, Visser'),
    },
  },
  {
    name: 'Kuwaiti',
    weight: 0.6,
    languages: [['ar', 1]],
    interpreter: 0.5,
    names: {
      first: list('Ahmad, Mohammad, Ali, Abdullah, Fahad, Khalid'),
      last: list('Al-Enezi, Al-Shammari, Al-Mutairi, Al-Ajmi, Al-Rashidi, Al-Dhafiri'),
    },
  },
]
