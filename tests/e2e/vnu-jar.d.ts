// vnu-jar exports the path of vnu.jar (the package ships no types).
declare module 'vnu-jar' {
  const path: string;
  export default path;
}
