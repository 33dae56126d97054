import { countryName, allCountryCodes } from './src/lib/reference/countries.ts';
console.log(
  countryName('US'),
  countryName('KR'),
  countryName('AE'),
  countryName('TL'),
  countryName('EH'),
  countryName('XX'),
  allCountryCodes().length,
);
